import type { Directory } from '../domain/directory/directory.js';
import { UserInputError } from '../errors.js';
import type { DirectoryStore } from '../store/directory-store.js';

/** The directory every action needs; before the first import, a polite answer instead. */
export async function requireDirectory(store: DirectoryStore): Promise<Directory> {
  const directory = await store.loadDirectory();
  if (!directory) throw new UserInputError('尚未导入组织名录，请联系区河长制办公室。');
  return directory;
}
