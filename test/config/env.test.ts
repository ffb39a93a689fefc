import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('runs in local mode with defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      mongodbUri: undefined,
      dataDir: './.data',
      timezone: 'Asia/Shanghai',
      feishu: {
        domain: 'https://open.feishu.cn',
        transport: 'webhook',
        maxClockSkewSeconds: 300,
        credentials: undefined,
      },
    });
  });

  it('reads a full production configuration', () => {
    const config = loadConfig({
      PORT: '8080',
      MONGODB_URI: 'mongodb://mongo:27017/hehu',
      FEISHU_APP_ID: 'cli_a1b2c3d4',
      FEISHU_APP_SECRET: 'secret',
      FEISHU_VERIFICATION_TOKEN: 'vtoken',
      FEISHU_ENCRYPT_KEY: 'ekey',
      FEISHU_DOMAIN: 'lark',
      FEISHU_TRANSPORT: 'ws',
    });
    expect(config.port).toBe(8080);
    expect(config.feishu.domain).toBe('https://open.larksuite.com');
    expect(config.feishu.transport).toBe('ws');
    expect(config.feishu.credentials).toEqual({
      appId: 'cli_a1b2c3d4',
      appSecret: 'secret',
      verificationToken: 'vtoken',
      encryptKey: 'ekey',
    });
  });

  it('lists every problem at once, each with where to fix it', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      MONGODB_URI: 'postgres://db',
      FEISHU_APP_ID: 'my-app',
      FEISHU_TRANSPORT: 'carrier-pigeon',
      BOT_TIMEZONE: 'Mars/Olympus',
    });
    const text = problems.join('\n');
    expect(text).toMatch(/^PORT /m);
    expect(text).toMatch(/^MONGODB_URI must start with mongodb:\/\//m);
    expect(text).toMatch(
      /^FEISHU_APP_ID looks like cli_xxxxxxxx \(Feishu developer console › your app › 凭证与基础信息 › App ID\)/m,
    );
    expect(text).toMatch(/^FEISHU_TRANSPORT .*webhook .*ws/m);
    expect(text).toMatch(/^BOT_TIMEZONE is not an IANA time zone/m);
    expect(text).toMatch(/^FEISHU_APP_SECRET is required with FEISHU_APP_ID \(.*App Secret\)/m);
    expect(problems).toHaveLength(6);
  });

  it('keeps retrying an undelivered message for a day unless told otherwise, and says how to set it', () => {
    expect(loadConfig({}).outbox.giveUpAfterMs).toBe(24 * 3_600_000);
    expect(loadConfig({ OUTBOX_GIVE_UP_AFTER_HOURS: '72' }).outbox.giveUpAfterMs).toBe(72 * 3_600_000);
    expect(problemsOf({ OUTBOX_GIVE_UP_AFTER_HOURS: 'forever' })).toEqual([
      expect.stringMatching(/^OUTBOX_GIVE_UP_AFTER_HOURS .*\(hours between 1 and 336/),
    ]);
    expect(problemsOf({ OUTBOX_GIVE_UP_AFTER_HOURS: '0' })).toHaveLength(1);
  });

  it('says which credentials are missing when an app is half configured', () => {
    expect(problemsOf({ FEISHU_APP_SECRET: 'secret' })).toEqual([
      expect.stringMatching(/^FEISHU_APP_ID is required when any FEISHU_\* credential is set/),
      expect.stringMatching(
        /^FEISHU_VERIFICATION_TOKEN is required for the webhook transport \(.*Verification Token\)/,
      ),
    ]);
  });

  it('does not need a verification token over the long connection', () => {
    const config = loadConfig({ FEISHU_APP_ID: 'cli_abc', FEISHU_APP_SECRET: 's', FEISHU_TRANSPORT: 'ws' });
    expect(config.feishu.credentials?.verificationToken).toBeUndefined();
  });

  it('treats blank variables as unset, as .env files often leave them', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '  ', FEISHU_APP_ID: '' }).port).toBe(3000);
  });

  it('formats the error message for the terminal', () => {
    try {
      loadConfig({ PORT: '-1' });
    } catch (error) {
      expect((error as Error).message).toContain('Configuration is invalid (1 problem):');
      expect((error as Error).message).toContain('See .env.example');
    }
    expect.assertions(2);
  });
});
