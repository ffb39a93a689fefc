import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FakeFeishu, FakeMessage } from '../feishu/fake/fake-feishu.js';
import { describeMessage } from '../feishu/fake/render-console.js';

/**
 * Local mode's console: every message as text, and every file the bot sends (minutes as
 * .docx, ledgers as .xlsx) saved under BOT_DATA_DIR/files/ with its path printed, so it can
 * be opened without Feishu.
 */

/** Where a file the bot sent is saved: its key keeps two versions of one name apart. */
export function savedFilePath(dataDir: string, fileKey: string, fileName: string): string {
  // Characters no file system takes in a name, and control characters, become underscores.
  const safeName =
    [...fileName].map((c) => (c.charCodeAt(0) < 0x20 || '/\\:*?"<>|'.includes(c) ? '_' : c)).join('') || 'file';
  return resolve(join(dataDir, 'files', `${fileKey}-${safeName}`));
}

/** The file key and name of a file message, if it is one. */
export function fileOf(message: FakeMessage): { fileKey: string; fileName: string } | undefined {
  const content = message.content as { file_key?: unknown; file_name?: unknown } | undefined;
  if (message.msgType !== 'file' || typeof content?.file_key !== 'string') return undefined;
  return { fileKey: content.file_key, fileName: typeof content.file_name === 'string' ? content.file_name : '' };
}

/** Saves a file the bot sent; returns its path, or undefined when the fake has no such upload. */
export async function saveSentFile(
  fake: FakeFeishu,
  dataDir: string,
  message: FakeMessage,
): Promise<string | undefined> {
  const file = fileOf(message);
  const upload = file && fake.upload(file.fileKey);
  if (!file || !upload) return undefined;
  const path = savedFilePath(dataDir, file.fileKey, file.fileName || upload.fileName || file.fileKey);
  await mkdir(join(dataDir, 'files'), { recursive: true });
  await writeFile(path, upload.bytes);
  return path;
}

/** Prints one message; a file the bot sent is saved first and its path printed under it. */
export async function printMessage(fake: FakeFeishu, dataDir: string, message: FakeMessage): Promise<void> {
  let text = describeMessage(message);
  if (message.senderOpenId === undefined && message.updates.length === 0) {
    const path = await saveSentFile(fake, dataDir, message).catch(() => undefined);
    if (path) text += `\n  已保存：${path}`;
  }
  process.stdout.write(`\n${text}\n`);
}
