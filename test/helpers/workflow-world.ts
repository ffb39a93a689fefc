import { readFileSync } from 'node:fs';
import { ManualClock } from '../../src/domain/clock.js';
import type { Directory } from '../../src/domain/directory/directory.js';
import { silentLogger } from '../../src/log/logger.js';
import { ClaimStore } from '../../src/store/claim-store.js';
import { DirectoryStore } from '../../src/store/directory-store.js';
import { IssueStore } from '../../src/store/issue-store.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { PatrolStore } from '../../src/store/patrol-store.js';
import { importDirectory } from '../../src/workflows/directory/import-directory.js';
import type { ContactDirectory } from '../../src/workflows/ports.js';
import { openTestDatabase, type TestDatabase } from './database.js';
import { RecordingMessenger } from './recording-messenger.js';

export const TIME_ZONE = 'Asia/Shanghai';

/** The open_id the contacts stand-in finds for a person given by mobile or email: `ou_<person id>`. */
const openIdOf = (personId: string) => `ou_${personId}`;
/** A mobile as digits, without the country code: `138-0000-0001` and `+8613800000001` meet. */
const digits = (mobile: string) => mobile.replace(/\D/g, '').slice(-11);

/**
 * Everything a workflow needs, real where it matters: the test's own database on the run's
 * FerretDB, the stores over it, a clock that moves only when told, a recording messenger.
 * No HTTP, no Agenda, no fake Feishu: a workflow is called directly, as its job or handler would.
 */
export interface WorkflowWorld {
  db: TestDatabase;
  models: Models;
  clock: ManualClock;
  messenger: RecordingMessenger;
  stores: { directory: DirectoryStore; issues: IssueStore; claims: ClaimStore; patrols: PatrolStore };
  timeZone: string;
  logger: ReturnType<typeof silentLogger>;
  /** The directory as imported (examples/jinkouhe.yaml, everyone reachable as openIdOf). */
  directory: Directory;
  /** A person's open_id, by their id in the directory (what a tap or message carries). */
  openId(personId: string): string;
  close(): Promise<void>;
}

/**
 * Opens a world with the shipped example district imported. Every person is found by the
 * contacts stand-in (a directory lookup is Feishu's, not the workflow's), under openIdOf(id).
 */
export async function openWorkflowWorld(start: string | Date = '2026-11-24T10:00:00+08:00'): Promise<WorkflowWorld> {
  const db = await openTestDatabase({ reuse: true });
  const models = bindModels(db.connection);
  await ensureIndexes(models);
  const clock = new ManualClock(start);
  const stores = {
    directory: new DirectoryStore(models, clock),
    issues: new IssueStore(models, clock, TIME_ZONE),
    claims: new ClaimStore(models, clock),
    patrols: new PatrolStore(models, clock),
  };
  const text = readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8');
  // Records are seeded from early in the year: the district has used the bot since January.
  const yaml = text.replace('# goLiveOn: 2026-12-02', 'goLiveOn: 2026-01-01');
  const contacts = exampleContacts(yaml);
  const outcome = await importDirectory({ format: 'yaml', text: yaml }, { store: stores.directory, contacts });
  if (!outcome.ok) throw new Error(`example district did not import: ${JSON.stringify(outcome.problems)}`);
  const directory = await stores.directory.loadDirectory();
  if (!directory) throw new Error('example district not found after import');
  return {
    db,
    models,
    clock,
    messenger: new RecordingMessenger(),
    stores,
    timeZone: TIME_ZONE,
    logger: silentLogger(),
    directory,
    openId: (personId) => {
      const openId = directory.people.find((p) => p.id === personId)?.openId;
      if (!openId) throw new Error(`${personId} has no open_id in the example district`);
      return openId;
    },
    close: () => db.close(),
  };
}

/** Answers every mobile and email of the example file with the open_id of the person it belongs to. */
function exampleContacts(yaml: string): ContactDirectory {
  const byMobile = new Map<string, string>();
  const byEmail = new Map<string, string>();
  for (const line of yaml.split('\n')) {
    const id = /\bid: ([\w-]+)/.exec(line)?.[1];
    if (!id || !line.includes('name:')) continue;
    const mobile = /mobile: ([\d-]+)/.exec(line)?.[1];
    const email = /email: ([\w.@-]+)/.exec(line)?.[1];
    if (mobile) byMobile.set(digits(mobile), openIdOf(id));
    if (email) byEmail.set(email.toLowerCase(), openIdOf(id));
  }
  return {
    openIdsFor: ({ mobiles, emails }) =>
      Promise.resolve({
        byMobile: new Map(mobiles.flatMap((m) => (byMobile.has(digits(m)) ? [[m, byMobile.get(digits(m))!]] : []))),
        byEmail: new Map(emails.flatMap((e) => (byEmail.has(e) ? [[e, byEmail.get(e)!]] : []))),
      }),
  };
}
