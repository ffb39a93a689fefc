import type * as lark from '@larksuiteoapi/node-sdk';
import type { Person, Unit, WaterBody } from '../../domain/directory/directory.js';
import { checkDirectoryReach } from '../../workflows/directory/reach.js';
import type { ContactDirectory } from '../../workflows/ports.js';
import { pathParam } from '../ids.js';
import { ask, describeRefusal, type FeishuAnswer, SCOPE_REQUIRED } from './feishu-answer.js';
import { FeishuReach } from './feishu-reach.js';
import { NEEDED_SCOPES, type NeededScope } from './needed-scopes.js';
import { type SampleCard, sampleCards } from './sample-cards.js';

/**
 * `npm run feishu:check`: asks a real tenant, item by item, whether the bot can work there.
 * Everything is read-only except the optional card test, which sends to the one chat given.
 */

export interface CheckItem {
  status: 'pass' | 'fail' | 'warn';
  title: string;
  /** Further lines: who or what, and what to do. */
  lines: string[];
}

export interface CheckSection {
  heading: string;
  items: CheckItem[];
}

export interface CheckOptions {
  client: lark.Client;
  appId: string;
  appSecret: string;
  /** The directory to check chats and people against; skipped when absent. */
  directory?: { people: Person[]; units: Unit[]; waterBodies: WaterBody[] };
  /** Resolves people given only by mobile or email; without it they count as not found. */
  contacts?: ContactDirectory;
  /** A test chat (oc_…) to send every card to. */
  testChat?: string;
  cards?: (openIds: string[]) => SampleCard[];
  /** Waits between card sends (Feishu allows 5 a second per chat); nothing by default. */
  pace?: () => Promise<void>;
}

const CONSOLE = '开发者后台（https://open.feishu.cn/app）› 你的应用';
const SCOPE_FIX = `${CONSOLE} › 开发配置 › 权限管理 中开通，然后在 应用发布 › 版本管理与发布 创建版本并发布`;

const pass = (title: string, lines: string[] = []): CheckItem => ({ status: 'pass', title, lines });
const fail = (title: string, lines: string[]): CheckItem => ({ status: 'fail', title, lines });
const warn = (title: string, lines: string[]): CheckItem => ({ status: 'warn', title, lines });

async function credentials(options: CheckOptions): Promise<CheckItem> {
  const answer = await ask(() =>
    options.client.auth.v3.tenantAccessToken.internal({
      data: { app_id: options.appId, app_secret: options.appSecret },
    }),
  );
  if (answer.ok) return pass(`应用凭证有效（App ID ${options.appId}），已取得 tenant_access_token`);
  return fail('应用凭证无效，无法取得 tenant_access_token', [
    describeRefusal(answer),
    `请核对 FEISHU_APP_ID 与 FEISHU_APP_SECRET：${CONSOLE} › 基础信息 › 凭证与基础信息；私有化部署或 Lark 请同时核对 FEISHU_DOMAIN。`,
  ]);
}

async function botInfo(client: lark.Client): Promise<CheckItem> {
  const answer = await ask(() =>
    client.request<{ code?: number; msg?: string; bot?: { app_name?: string; open_id?: string } }>({
      method: 'GET',
      url: '/open-apis/bot/v3/info',
    }),
  );
  if (answer.ok && answer.data.bot?.open_id)
    return pass(`机器人能力已启用：${answer.data.bot.app_name ?? ''}（${answer.data.bot.open_id}）`);
  return fail('无法读取机器人信息，机器人能力可能未启用', [
    ...(answer.ok ? [] : [describeRefusal(answer)]),
    `请在 ${CONSOLE} › 添加应用能力 中添加“机器人”，并发布版本。`,
  ]);
}

/** The read-only call that needs a scope; 99991672 means missing, any other answer means present. */
function probe(options: CheckOptions, kind: NonNullable<NeededScope['probe']>): Promise<FeishuAnswer<unknown>> {
  const { client } = options;
  switch (kind) {
    case 'chatMembership': {
      const chatId = options.testChat ?? firstChat(options.directory) ?? 'oc_feishu_check_probe';
      return ask(() => client.im.v1.chatMembers.isInChat({ path: { chat_id: pathParam(chatId, 'chat_id') } }));
    }
    case 'contactLookup':
      return ask(() =>
        client.contact.v3.user.batchGetId({
          params: { user_id_type: 'open_id' },
          data: { mobiles: ['13800000000'], include_resigned: false },
        }),
      );
    case 'messageFiles':
      // No message is at hand, so the ids are made up: Feishu checks scopes before it looks
      // the message up, and a "not found" answer still shows the scope is there.
      return ask(
        () =>
          client.im.v1.messageResource.get({
            path: { message_id: 'om_feishu_check_probe', file_key: 'file_feishu_check_probe' },
            params: { type: 'file' },
          }) as Promise<{ code?: number }>,
      );
  }
}

function firstChat(directory: CheckOptions['directory']): string | undefined {
  return directory?.units.find((u) => u.chatId)?.chatId ?? directory?.waterBodies.find((w) => w.chatId)?.chatId;
}

async function scopes(options: CheckOptions): Promise<CheckItem[]> {
  const listed = await ask(() => options.client.application.v6.scope.list());
  const grant = new Map<string, number>();
  if (listed.ok) {
    for (const s of listed.data.data?.scopes ?? [])
      if (s.scope_type !== 'user') grant.set(s.scope_name, s.grant_status);
  }
  const items: CheckItem[] = [];
  if (!listed.ok)
    items.push(
      warn('无法读取应用的权限授予情况（查询租户授权状态）', [
        describeRefusal(listed),
        '以下只能通过实际调用核对部分权限。',
      ]),
    );
  for (const scope of NEEDED_SCOPES) {
    const title = `${scope.label}（${scope.anyOf[0]}）：${scope.why}${scope.checkOnly ? '（仅本检查与 org:import 使用）' : ''}`;
    const alternatives = scope.anyOf.length > 1 ? `（开通 ${scope.anyOf.join('、')} 任一即可）` : '';
    const granted = scope.anyOf.some((name) => grant.get(name) === 1);
    const applied = scope.anyOf.some((name) => grant.has(name));
    if (scope.probe) {
      const answer = await probe(options, scope.probe);
      if (!answer.ok && answer.code === SCOPE_REQUIRED) {
        items.push(fail(title, [`飞书拒绝调用：${describeRefusal(answer)}`, `请在 ${SCOPE_FIX}${alternatives}。`]));
        continue;
      }
      items.push(pass(title));
      continue;
    }
    if (!listed.ok) {
      items.push(warn(title, ['无法核对（未能读取权限列表）。']));
    } else if (granted) {
      items.push(pass(title));
    } else {
      items.push(
        fail(title, [
          applied ? '已申请但尚未生效或未获管理员审核。' : '尚未申请此权限。',
          `请在 ${SCOPE_FIX}${alternatives}。`,
        ]),
      );
    }
  }
  return items;
}

/** People given by mobile or email get their open_id, as org:import would. */
async function resolvePeople(people: Person[], contacts: ContactDirectory | undefined): Promise<Person[]> {
  const needing = people.filter((p) => !p.openId);
  if (needing.length === 0 || !contacts) return people;
  const found = await contacts.openIdsFor({
    mobiles: needing.flatMap((p) => (p.mobile ? [p.mobile] : [])),
    emails: needing.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])),
  });
  return people.map((p) =>
    p.openId
      ? p
      : {
          ...p,
          openId:
            (p.mobile && found.byMobile.get(p.mobile)) ||
            (p.email && found.byEmail.get(p.email.toLowerCase())) ||
            undefined,
        },
  );
}

async function directoryItems(options: CheckOptions): Promise<CheckItem[]> {
  const directory = options.directory;
  if (!directory)
    return [
      warn('未检查名录中的群和人员', [
        '尚未导入组织名录：先运行 npm run org:import，或用 --directory 名录.yaml|名录.xlsx 指定名录文件。',
      ]),
    ];
  let people = directory.people;
  try {
    people = await resolvePeople(people, options.contacts);
  } catch (error) {
    return [warn('无法按手机号或邮箱查找人员', [error instanceof Error ? error.message : String(error)])];
  }
  const report = await checkDirectoryReach({ ...directory, people }, new FeishuReach(options.client, options.appId));
  const items: CheckItem[] = [];
  const chatLine = (c: (typeof report.chats)[number]) =>
    `${c.usedBy.join('、')}（${c.chatId}）${c.detail ? `：${c.detail}` : ''}`;
  const notMember = report.chats.filter((c) => c.status === 'notMember');
  const unknown = report.chats.filter((c) => c.status === 'unknown');
  if (report.chats.length === 0)
    items.push(warn('名录中没有填写任何群（chatId），无法向群发送卡片', ['请在名录的单位和河湖中填写群 ID（oc_…）。']));
  else if (notMember.length === 0 && unknown.length === 0)
    items.push(pass(`机器人在名录中的全部 ${report.chats.length} 个群中`));
  if (notMember.length > 0) {
    items.push(
      fail(`机器人不在 ${notMember.length} 个群中（发送会被拒绝，错误码 230002）`, [
        ...notMember.map(chatLine),
        '请在这些群的 设置 › 群机器人 › 添加机器人 中添加本应用。',
      ]),
    );
  }
  if (unknown.length > 0) items.push(fail(`${unknown.length} 个群无法核对`, unknown.map(chatLine)));

  if (report.noAccount.length > 0) {
    items.push(
      fail(`${report.noAccount.length} 人在飞书中找不到（无 open_id），无法给他们发消息`, [
        ...report.noAccount.map((p) => `${p.name}（${p.mobile ?? p.email ?? p.id}）`),
        '请核对名录中的手机号或邮箱；若本就找不到，确认其已加入本企业飞书，并在开发者后台 › 开发配置 › 权限管理 › 数据权限 中把通讯录范围设为包含他们。',
      ]),
    );
  }
  if (report.rangeUnknown) {
    items.push(
      warn('未能核对人员是否在应用可用范围内', [
        report.rangeUnknown,
        '此项只读核对需要上述权限（可选）；不开通时，不在可用范围的人会在收不到提醒时出现在每日“未送达”清单中（错误码 230013）。',
      ]),
    );
  } else if (report.outsideRange.length > 0) {
    items.push(
      fail(`${report.outsideRange.length} 人不在应用的可用范围内（发送会被拒绝，错误码 230013）`, [
        ...report.outsideRange.map((p) => `${p.name}（${p.mobile ?? p.email ?? p.id}）`),
        `请在 ${CONSOLE} › 应用发布 › 版本管理与发布 › 创建版本 › 可用范围 中加入他们（或设为全部成员）并发布；已离职人员请从名录中移除。`,
      ]),
    );
  } else {
    const checked = people.filter((p) => p.openId).length;
    items.push(pass(`名录中 ${checked} 人都在应用的可用范围内`));
  }
  return items;
}

async function cardItems(options: CheckOptions): Promise<CheckItem[]> {
  const chatId = options.testChat;
  if (!chatId)
    return [
      warn('未发送测试卡片', [
        '加上 --chat oc_…（一个测试群的群 ID，机器人须在群中）即可把每种卡片发到该群，由飞书判定是否接受。',
      ]),
    ];
  const inChat = await new FeishuReach(options.client, options.appId).botInChat(chatId);
  if (inChat !== true) {
    return [
      fail(`无法向测试群 ${chatId} 发送卡片`, [
        typeof inChat === 'object' ? inChat.error : '机器人不在该群中：请先在群设置 › 群机器人 中添加本应用。',
      ]),
    ];
  }
  const openIds = (options.directory?.people ?? []).flatMap((p) => (p.openId ? [p.openId] : []));
  const list = (options.cards ?? sampleCards)(openIds);
  await ask(() =>
    options.client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: chatId,
        msg_type: 'text',
        content: JSON.stringify({
          text: `以下 ${list.length} 张为 npm run feishu:check 发送的测试卡片，数据为虚构，点击按钮不会改动任何记录。`,
        }),
      },
    }),
  );
  const refused: string[] = [];
  for (const sample of list) {
    await options.pace?.();
    const answer = await ask(() =>
      options.client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(sample.card) },
      }),
    );
    if (!answer.ok) refused.push(`${sample.name}：${describeRefusal(answer)}`);
  }
  if (refused.length === 0) return [pass(`飞书接受了全部 ${list.length} 种卡片（已发到 ${chatId}）`)];
  return [
    fail(`飞书拒绝了 ${refused.length} / ${list.length} 种卡片`, [
      ...refused,
      '这是本程序的问题，请把以上内容反馈给开发者。',
    ]),
  ];
}

/** Runs every check in order; later sections are skipped when the credentials do not work. */
export async function runFeishuCheck(options: CheckOptions): Promise<CheckSection[]> {
  const token = await credentials(options);
  if (token.status === 'fail') return [{ heading: '应用凭证', items: [token] }];
  return [
    { heading: '应用凭证', items: [token, await botInfo(options.client)] },
    { heading: '应用权限', items: await scopes(options) },
    { heading: '名录中的群和人员', items: await directoryItems(options) },
    { heading: '卡片', items: await cardItems(options) },
  ];
}

const MARK = { pass: '✓', fail: '✗', warn: '⚠' } as const;

/** The report as printed: a heading per section, one line per item, details indented. */
export function formatCheckReport(sections: CheckSection[]): string {
  const out: string[] = [];
  for (const section of sections) {
    out.push(`【${section.heading}】`);
    for (const item of section.items) {
      out.push(`${MARK[item.status]} ${item.title}`);
      for (const line of item.lines) out.push(`    ${line}`);
    }
    out.push('');
  }
  const items = sections.flatMap((s) => s.items);
  const failed = items.filter((i) => i.status === 'fail').length;
  const warned = items.filter((i) => i.status === 'warn').length;
  out.push(
    failed === 0
      ? `检查通过${warned > 0 ? `（${warned} 项提示）` : ''}。`
      : `发现 ${failed} 项问题${warned > 0 ? `、${warned} 项提示` : ''}，请按上面的说明处理后重新运行 npm run feishu:check。`,
  );
  return out.join('\n');
}

/** Whether anything failed: the script's exit code. */
export function checkFailed(sections: CheckSection[]): boolean {
  return sections.some((s) => s.items.some((i) => i.status === 'fail'));
}
