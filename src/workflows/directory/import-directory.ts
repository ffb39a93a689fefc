import { type DirectoryDiff, diffDirectory, isEmptyDiff } from '../../domain/directory/diff.js';
import type { Directory, DirectoryProblem, Person } from '../../domain/directory/directory.js';
import { type Unreachable, unreachable } from '../../domain/directory/reachability.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { ContactDirectory } from '../ports.js';
import { checkDirectoryReach, type DirectoryReach, type ReachReport } from './reach.js';
import { parseWorkbookDirectory } from './xlsx-directory.js';
import { parseYamlDirectory } from './yaml-directory.js';

export type ImportOutcome =
  | { ok: false; problems: DirectoryProblem[]; unreadable?: string }
  | {
      ok: true;
      diff: DirectoryDiff;
      /** People whose mobile or email Feishu does not know: imported, but unreachable until fixed. */
      unresolved: Person[];
      written: boolean;
      /** Chats the bot is not in and people it cannot message; absent without Feishu. */
      reach?: ReachReport;
      /** Units and water bodies nothing can be sent to (no chat, nobody with an account): imported, flagged. */
      unreachable: Unreachable;
    };

export interface ImportDeps {
  store: DirectoryStore;
  /** Absent in local mode without Feishu: mobiles and emails then stay unresolved. */
  contacts: ContactDirectory | undefined;
  /** Checks, read-only, that the bot can reach every chat and person; absent in local mode. */
  reach?: DirectoryReach;
}

/** Fills in open_ids for people given by mobile or email; keeps ones given directly. */
async function resolvePeople(
  directory: Directory,
  contacts: ContactDirectory | undefined,
): Promise<{ directory: Directory; unresolved: Person[] }> {
  const needing = directory.people.filter((p) => !p.openId);
  if (needing.length === 0 || !contacts) return { directory, unresolved: needing };
  const found = await contacts.openIdsFor({
    mobiles: needing.flatMap((p) => (p.mobile ? [p.mobile] : [])),
    emails: needing.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])),
  });
  const unresolved: Person[] = [];
  const people = directory.people.map((p) => {
    if (p.openId) return p;
    const openId =
      (p.mobile && found.byMobile.get(p.mobile)) || (p.email && found.byEmail.get(p.email.toLowerCase())) || undefined;
    if (!openId) unresolved.push(p);
    return openId ? { ...p, openId } : p;
  });
  return { directory: { ...directory, people }, unresolved };
}

/**
 * Imports a directory file: parse and check everything first (nothing is written if any
 * problem is found), resolve people through Feishu, then write only what changed.
 * Importing the same file twice writes nothing the second time.
 */
export type DirectorySource = { format: 'yaml'; text: string } | { format: 'xlsx'; data: Buffer };

export async function importDirectory(
  source: DirectorySource,
  deps: ImportDeps,
  options: { dryRun?: boolean } = {},
): Promise<ImportOutcome> {
  const parsed = source.format === 'yaml' ? parseYamlDirectory(source.text) : await parseWorkbookDirectory(source.data);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, unreadable: parsed.unreadable };
  const { directory, unresolved } = await resolvePeople(parsed.directory, deps.contacts);
  const diff = diffDirectory(await deps.store.loadActive(), directory);
  const write = !options.dryRun && !isEmptyDiff(diff);
  if (write) await deps.store.apply(directory, diff);
  const reach = deps.reach ? await checkDirectoryReach(directory, deps.reach) : undefined;
  return { ok: true, diff, unresolved, written: write, reach, unreachable: unreachable(directory) };
}
