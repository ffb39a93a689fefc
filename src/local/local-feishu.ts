import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeishuCredentials } from '../config/env.js';
import type { Clock } from '../domain/clock.js';
import { FakeFeishu } from '../feishu/fake/fake-feishu.js';
import type { FakeStore } from '../feishu/fake/fake-store.js';
import type { FakeMessage } from '../feishu/fake/fake-types.js';
import type { Logger } from '../log/logger.js';

/**
 * Local mode: with no Feishu credentials the bot runs its own fake open platform and prints
 * every message and card it sends, so a newcomer can try it with `npm run chat`. The session
 * file tells the chat command where the bot and the fake listen and how to sign requests.
 */
export interface LocalSession {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey: string;
  fakeUrl: string;
  botUrl: string;
  botOpenId: string;
}

export function sessionFile(dataDir: string): string {
  return join(dataDir, 'local-feishu.json');
}

export async function readLocalSession(dataDir: string): Promise<LocalSession | undefined> {
  try {
    return JSON.parse(await readFile(sessionFile(dataDir), 'utf8')) as LocalSession;
  } catch {
    return undefined;
  }
}

export async function writeLocalSession(dataDir: string, session: LocalSession): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(sessionFile(dataDir), JSON.stringify(session, null, 2), { mode: 0o600 });
}

/**
 * Starts the fake platform with credentials kept in the data dir across restarts. It keeps the
 * bot's clock (a card's 14-day window is judged on the time the bot lives in) and treats every
 * mobile and email as someone's account, so any directory can be tried without Feishu.
 */
export async function startLocalFeishu(
  dataDir: string,
  logger: Logger,
  options: { clock?: Clock; onMessage?: (message: FakeMessage) => void; store?: FakeStore } = {},
): Promise<{ fake: FakeFeishu; credentials: FeishuCredentials; session: LocalSession }> {
  const previous = await readLocalSession(dataDir);
  const secrets = {
    appId: previous?.appId ?? `cli_local${randomBytes(6).toString('hex')}`,
    appSecret: previous?.appSecret ?? randomBytes(16).toString('hex'),
    verificationToken: previous?.verificationToken ?? randomBytes(12).toString('hex'),
    encryptKey: previous?.encryptKey ?? randomBytes(16).toString('hex'),
  };
  const fake = await FakeFeishu.start({
    appId: secrets.appId,
    appSecret: secrets.appSecret,
    logger: logger.child({ component: 'local-feishu' }),
    clock: options.clock,
    everyoneHasAnAccount: true,
    onMessage: options.onMessage,
    store: options.store,
  });
  const session: LocalSession = { ...secrets, fakeUrl: fake.url, botUrl: '', botOpenId: fake.botOpenId };
  return { fake, credentials: secrets, session };
}
