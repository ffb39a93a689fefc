import { basename } from 'node:path';
import { readLocalSession } from './local-feishu.js';

/**
 * `npm run org:import` while a local-mode bot runs on this data directory: the import goes
 * through the running bot (its database, its fake Feishu resolving mobiles and emails), never
 * into a second database the bot would not see. Undefined when no local bot answers here.
 */
export async function importThroughLocalBot(
  dataDir: string,
  file: string,
  data: Buffer,
  dryRun: boolean,
): Promise<{ botUrl: string; ok: boolean; title: string; lines: string[] } | undefined> {
  const session = await readLocalSession(dataDir);
  if (!session?.botUrl) return undefined;
  let response: Response;
  try {
    response = await fetch(`${session.botUrl}/local/api/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: basename(file), base64: data.toString('base64'), dryRun }),
    });
  } catch {
    // The session file outlived its bot: nothing listens there, so nothing runs on this directory.
    return undefined;
  }
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; title?: string; lines?: string[] };
  if (!response.ok || typeof body.title !== 'string') {
    const message = (body as { message?: string }).message ?? `HTTP ${response.status}`;
    throw new Error(`本地模式的机器人（${session.botUrl}）没有完成导入：${message}`);
  }
  return { botUrl: session.botUrl, ok: body.ok === true, title: body.title, lines: body.lines ?? [] };
}
