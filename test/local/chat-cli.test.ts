import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLocalTrial } from './local-trial.js';

const t = useLocalTrial();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a script as a person would, in a child process, against the local bot's data directory. */
function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('FEISHU_') && key !== 'BOT_DATA_DIR'),
  );
  return new Promise((resolve) => {
    execFile(
      join('node_modules', '.bin', 'tsx'),
      [script, ...args],
      { env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const chat = (...args: string[]) => run('scripts/chat.ts', ['--data', t.dataDir, ...args]);

describe('npm run chat', () => {
  it('speaks as a person named as in the directory and prints the card the bot answers with', async () => {
    const result = await chat('--as', '钱某某', '/帮助');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('┌─ 卡片');
    expect(result.stdout).not.toContain('机器人没有回复');
  });

  it('accepts a directory id too, and an office member can send the directory file', async () => {
    const result = await chat('--as', 'qian-hezhangban', '--file', 'examples/jinkouhe.yaml');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('jinkouhe.yaml');
  });

  it('saves the files the bot sends under BOT_DATA_DIR/files and prints their paths', async () => {
    const result = await chat('--as', '钱某某', '--group', 'oc_example_hezhangban', '/导出 巡河台账');
    expect(result.code).toBe(0);
    const path = /已保存：(.+\.xlsx)/.exec(result.stdout)?.[1];
    expect(path, result.stdout).toBeDefined();
    expect(path?.startsWith(join(t.dataDir, 'files'))).toBe(true);
    expect(existsSync(path ?? '')).toBe(true);
  });

  it('replies in a thread with --thread', async () => {
    const help = (
      await t.get<{ items: Array<{ messageId: string; sender: { kind: string } }> }>(
        '/local/api/messages?chat=oc_fake_p2p_ou_example_qian',
      )
    ).body.items.find((i) => i.sender.kind === 'bot');
    const result = await chat('--as', '钱某某', '--thread', help?.messageId ?? '', '一条话题回复');
    expect(result.code).toBe(0);
    const { items } = (
      await t.get<{ items: Array<{ rootId?: string; content: { text?: string } }> }>(
        '/local/api/messages?chat=oc_fake_p2p_ou_example_qian',
      )
    ).body;
    expect(items.find((i) => i.content.text === '一条话题回复')?.rootId).toBe(help?.messageId);
  });

  it('says which data directory it looked in when BOT_DATA_DIR is wrong', async () => {
    const result = await run('scripts/chat.ts', ['--data', join(t.dataDir, 'nowhere'), '--as', '钱某某', '/帮助']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(t.dataDir, 'nowhere'));
    expect(result.stderr).toContain('--data 或 BOT_DATA_DIR');
  });

  it('refuses a --tap value that is not JSON with a clear message, not a stack trace', async () => {
    const result = await chat('--as', '钱某某', '--tap', 'om_fake_1', 'not json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('必须是 JSON 对象');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints a toast-only answer to a tap', async () => {
    const card = (
      await t.get<{ items: Array<{ messageId: string; sender: { kind: string }; msgType: string }> }>(
        '/local/api/messages?chat=oc_fake_p2p_ou_example_qian',
      )
    ).body.items.find((i) => i.sender.kind === 'bot' && i.msgType === 'interactive');
    // A stale or unknown action value is answered with a toast only.
    const result = await chat('--as', '钱某某', '--tap', card?.messageId ?? '', '{"a":"no.such.action","v":1}');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('〔提示〕');
  });
});

describe('npm run org:import while a local bot runs', () => {
  it('imports through the running bot, saying so, never into another database', async () => {
    const result = await run('scripts/org-import.ts', ['examples/jinkouhe.yaml'], {
      BOT_DATA_DIR: t.dataDir,
      MONGODB_URI: t.db.uri,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`本地模式的机器人正在运行（${t.url}`);
  });
});
