import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeishuCredentials } from '../config/env.js';
import { FakeFeishu } from '../feishu/fake/fake-feishu.js';
import { describeMessage } from '../feishu/fake/render-console.js';
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

/** Starts the fake platform with credentials kept in the data dir across restarts. */
export async function startLocalFeishu(
  dataDir: string,
  logger: Logger,
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
    onMessage: (message) => console.log(`\n${describeMessage(message)}\n`),
  });
  const session: LocalSession = { ...secrets, fakeUrl: fake.url, botUrl: '', botOpenId: fake.botOpenId };
  return { fake, credentials: secrets, session };
}
