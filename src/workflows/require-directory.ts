import type { Directory, Person } from '../domain/directory/directory.js';
import { ForbiddenError, UserInputError } from '../errors.js';
import type { DirectoryStore } from '../store/directory-store.js';

/** The refusal for someone the directory does not know. */
export const NOT_IN_DIRECTORY = '您不在组织名录中，暂时无法操作。如有疑问，请联系区河长制办公室。';

/** The directory every action needs; before the first import, a polite answer instead. */
export async function requireDirectory(store: DirectoryStore): Promise<Directory> {
  const directory = await store.loadDirectory();
  if (!directory) throw new UserInputError('尚未导入组织名录，请联系区河长制办公室。');
  return directory;
}

/** The person behind a Feishu open_id; anyone the directory does not know is refused. */
export function requirePerson(directory: Directory, openId: string): Person {
  const person = directory.people.find((p) => p.openId === openId);
  if (!person) throw new ForbiddenError(NOT_IN_DIRECTORY);
  return person;
}
