import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buttonValue, reminderDay, useLocalTrial } from './local-trial.js';

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

describe('npm run chat with a form', () => {
  it('opens the patrol form from a reminder card and submits it with --form', async () => {
    const now = new Date((await t.get<{ now: string }>('/local/api/clock')).body.now);
    const day = reminderDay(now);
    expect((await t.post('/local/api/clock', { to: day.toISOString() })).status).toBe(200);
    const group = (
      await t.get<{ items: Array<{ messageId: string; msgType: string; content: unknown }> }>(
        '/local/api/messages?chat=oc_example_yeniu',
      )
    ).body.items;
    const reminder = group.find((i) => i.msgType === 'interactive' && JSON.stringify(i.content).includes('巡河'));
    const open = await chat(
      '--as',
      '王某某',
      '--tap',
      reminder?.messageId ?? '',
      JSON.stringify(buttonValue(reminder?.content, /记录|巡河/)),
    );
    expect(open.code, open.stderr).toBe(0);
    const formId = /┌─ 卡片 (om_fake_\d+) → 用户/.exec(open.stdout)?.[1];
    expect(formId, open.stdout).toBeDefined();
    expect(open.stdout).toContain('表单');
    const direct = (
      await t.get<{ items: Array<{ messageId: string; content: unknown }> }>(
        '/local/api/messages?chat=oc_fake_p2p_ou_m13800000003',
      )
    ).body.items;
    const form = direct.find((i) => i.messageId === formId);
    const submit = await chat(
      '--as',
      '王某某',
      '--tap',
      formId ?? '',
      '--form',
      JSON.stringify({ date: `${day.toISOString().slice(0, 10)} +0800`, observations: '河面整洁' }),
      JSON.stringify(buttonValue(form?.content, /提交/)),
    );
    expect(submit.code, submit.stderr).toBe(0);
    // The answer replaces the form in place: the patrol is recorded, no inputs left.
    expect(submit.stdout).toContain(`┌─ 卡片 ${formId}`);
    expect(submit.stdout).toContain('巡河已记录');
    expect(submit.stdout).not.toContain('[输入框');
  });

  it('says --form needs --tap', async () => {
    const result = await chat('--as', '王某某', '--form', '{}');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--form 要和 --tap 一起用');
  });
});
