import { z } from 'zod';

/**
 * The bot's configuration, read once from environment variables at start-up.
 * Every variable is documented in README.md and .env.example; names are part of the product.
 */

const FEISHU_OPEN_DOMAIN = 'https://open.feishu.cn';
const LARK_OPEN_DOMAIN = 'https://open.larksuite.com';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

export const EnvSchema = z.object({
  /** HTTP port for the webhook, card callback and health routes. */
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** MongoDB connection string; when unset the bot starts its embedded database. */
  MONGODB_URI: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  /** Where the embedded database and local-mode files live. */
  BOT_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./.data')),
  FEISHU_APP_ID: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^cli_[0-9a-zA-Z]+$/, 'looks like cli_xxxxxxxx')
      .optional(),
  ),
  FEISHU_APP_SECRET: optionalString,
  FEISHU_VERIFICATION_TOKEN: optionalString,
  FEISHU_ENCRYPT_KEY: optionalString,
  /** Open-platform base URL; `feishu`, `lark` or any http(s) URL (tests point it at the fake). */
  FEISHU_DOMAIN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('feishu')
      .transform((value) => (value === 'feishu' ? FEISHU_OPEN_DOMAIN : value === 'lark' ? LARK_OPEN_DOMAIN : value))
      .pipe(z.url({ protocol: /^https?$/, error: 'must be feishu, lark or an http(s) URL' })),
  ),
  FEISHU_TRANSPORT: z.preprocess(blankToUndefined, z.enum(['webhook', 'ws']).default('webhook')),
  /** Reject signed requests whose timestamp is further than this from now. */
  FEISHU_MAX_CLOCK_SKEW_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().int().min(10).max(3600).default(300)),
  /** How long the outbox keeps retrying a message Feishu will not take (429, 5xx, no answer) before it is reported as 未送达. */
  OUTBOX_GIVE_UP_AFTER_HOURS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .min(1)
      .max(24 * 14)
      .default(24),
  ),
  BOT_TIMEZONE: z.preprocess(
    blankToUndefined,
    z.string().default('Asia/Shanghai').refine(isKnownTimeZone, 'is not an IANA time zone such as Asia/Shanghai'),
  ),
});

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface FeishuCredentials {
  appId: string;
  appSecret: string;
  verificationToken: string | undefined;
  encryptKey: string | undefined;
}

export interface Config {
  port: number;
  logLevel: string;
  mongodbUri: string | undefined;
  dataDir: string;
  timezone: string;
  outbox: {
    /** A message still undelivered this long after it was queued is kept as failed. */
    giveUpAfterMs: number;
  };
  feishu: {
    domain: string;
    transport: 'webhook' | 'ws';
    maxClockSkewSeconds: number;
    /** Absent in local mode: the bot then runs its own fake Feishu and prints what it sends. */
    credentials: FeishuCredentials | undefined;
  };
}

/** Where each variable is found, so a config error tells the operator how to fix it. */
const HINTS: Record<string, string> = {
  PORT: 'a TCP port number such as 3000',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  MONGODB_URI: 'e.g. mongodb://mongo:27017/hehu; leave unset to use the embedded database',
  BOT_DATA_DIR: 'a writable folder, default ./.data',
  FEISHU_APP_ID: 'Feishu developer console › your app › 凭证与基础信息 › App ID',
  FEISHU_APP_SECRET: 'Feishu developer console › your app › 凭证与基础信息 › App Secret',
  FEISHU_VERIFICATION_TOKEN: 'Feishu developer console › your app › 事件与回调 › 加密策略 › Verification Token',
  FEISHU_ENCRYPT_KEY: 'Feishu developer console › your app › 事件与回调 › 加密策略 › Encrypt Key',
  FEISHU_DOMAIN: 'feishu (default), lark for Lark tenants, or a base URL',
  FEISHU_TRANSPORT: 'webhook (public callback URL) or ws (long connection, no public URL needed)',
  FEISHU_MAX_CLOCK_SKEW_SECONDS: 'seconds between 10 and 3600, default 300',
  BOT_TIMEZONE: 'an IANA zone name, default Asia/Shanghai',
  OUTBOX_GIVE_UP_AFTER_HOURS:
    'hours between 1 and 336 (14 days), default 24: long enough to outlast an outage of Feishu or of the network',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      [
        `Configuration is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
        ...problems.map((p) => `  - ${p}`),
        'See .env.example and the configuration table in README.md.',
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function problem(variable: string, what: string): string {
  const hint = HINTS[variable];
  return hint ? `${variable} ${what} (${hint})` : `${variable} ${what}`;
}

/** Parses and cross-checks the environment; throws one ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? 'environment');
      problems.push(problem(variable, issue.message));
    }
  }
  const raw = {
    appId: blankToUndefined(env.FEISHU_APP_ID),
    appSecret: blankToUndefined(env.FEISHU_APP_SECRET),
    verificationToken: blankToUndefined(env.FEISHU_VERIFICATION_TOKEN),
    encryptKey: blankToUndefined(env.FEISHU_ENCRYPT_KEY),
  };
  const anyCredential = Object.values(raw).some((v) => v !== undefined);
  const transport = blankToUndefined(env.FEISHU_TRANSPORT) ?? 'webhook';
  if (anyCredential) {
    // A half-configured app is a mistake, not local mode: say exactly what is missing.
    if (raw.appId === undefined)
      problems.push(problem('FEISHU_APP_ID', 'is required when any FEISHU_* credential is set'));
    if (raw.appSecret === undefined) problems.push(problem('FEISHU_APP_SECRET', 'is required with FEISHU_APP_ID'));
    if (transport === 'webhook' && raw.verificationToken === undefined) {
      problems.push(problem('FEISHU_VERIFICATION_TOKEN', 'is required for the webhook transport'));
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const data = parsed.data;
  return {
    port: data.PORT,
    logLevel: data.LOG_LEVEL,
    mongodbUri: data.MONGODB_URI,
    dataDir: data.BOT_DATA_DIR,
    timezone: data.BOT_TIMEZONE,
    outbox: { giveUpAfterMs: Math.round(data.OUTBOX_GIVE_UP_AFTER_HOURS * 3_600_000) },
    feishu: {
      domain: data.FEISHU_DOMAIN.replace(/\/+$/, ''),
      transport: data.FEISHU_TRANSPORT,
      maxClockSkewSeconds: data.FEISHU_MAX_CLOCK_SKEW_SECONDS,
      credentials:
        data.FEISHU_APP_ID && data.FEISHU_APP_SECRET
          ? {
              appId: data.FEISHU_APP_ID,
              appSecret: data.FEISHU_APP_SECRET,
              verificationToken: data.FEISHU_VERIFICATION_TOKEN,
              encryptKey: data.FEISHU_ENCRYPT_KEY,
            }
          : undefined,
    },
  };
}
