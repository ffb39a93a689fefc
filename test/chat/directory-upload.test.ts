import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { DirectoryStore } from '../../src/store/directory-store.js';
import { directoryToWorkbook } from '../../src/workflows/directory/xlsx-directory.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** Office staff send the roster workbook to the bot and get a summary card back. */

const clock = new ManualClock('2026-11-29T10:00:00+08:00');
const t = useTestBot({ clock });

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

async function workbook(change: (book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const directory = await new DirectoryStore(t.bot.models, clock).loadDirectory();
  if (!directory) throw new Error('no directory');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await directoryToWorkbook(directory)) as unknown as ArrayBuffer);
  change(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function send(fromOpenId: string, fileName: string, bytes: Buffer): Promise<FakeMessage | undefined> {
  clock.advance(1_000); // replies to one chat are rate-limited, and the clock never goes back
  const fileKey = t.fake.addFile(fileName, bytes);
  const before = t.fake.messages().length;
  const event = messageReceived({
    senderOpenId: fromOpenId,
    chatId: `oc_p2p_${fromOpenId}`,
    chatType: 'p2p',
    messageType: 'file',
    content: { file_key: fileKey, file_name: fileName },
    token: TEST_APP.verificationToken,
  });
  expect((await t.post(event, { clock })).status).toBe(200);
  await t.settle();
  return t.fake.messages().slice(before)[0];
}

const text = (m: FakeMessage | undefined) => JSON.stringify(m?.content);

describe('roster upload in Feishu', () => {
  it('imports a workbook sent by River Chief Office staff and answers with a summary card', async () => {
    const data = await workbook((book) => {
      book.getWorksheet('河湖')!.getRow(3).getCell(2).value = '野牛河（金河段）';
    });
    const reply = await send('ou_example_qian', '金口河区组织名录.xlsx', data);
    expect(text(reply)).toContain('组织名录已导入');
    expect(text(reply)).toContain('河湖：新增 0，变更 1，移除 0，未变 2');
    expect((await t.bot.models.waterBodies.findOne({ key: 'yeniu' }).lean())?.name).toBe('野牛河（金河段）');
  });

  it('refuses a roster from anyone outside the two offices, writing nothing', async () => {
    const data = await workbook((book) => {
      book.getWorksheet('河湖')!.getRow(3).getCell(2).value = '野牛河（被改）';
    });
    const reply = await send(exampleOpenId('li'), '名录.xlsx', data);
    expect(reply?.content).toEqual({
      text: '只有区河长制办公室、区总河长办公室人员可以导入组织名录；如需更新名录，请联系河长办。',
    });
    expect((await t.bot.models.waterBodies.findOne({ key: 'yeniu' }).lean())?.name).toBe('野牛河（金河段）');
  });

  it('lists the problems of a bad workbook by sheet and row, and writes nothing', async () => {
    const data = await workbook((book) => {
      book.getWorksheet('人员')!.getRow(4).getCell(3).value = '12345';
      book.getWorksheet('河湖')!.getRow(2).getCell(2).value = '大渡河（被改）';
    });
    const reply = await send('ou_example_qian', '名录.xlsx', data);
    expect(text(reply)).toContain('导入未完成：发现 1 处问题，未写入任何数据');
    expect(text(reply)).toContain('「人员」第 4 行（手机号）：手机号格式不正确');
    expect((await t.bot.models.waterBodies.findOne({ key: 'dadu-jinkouhe' }).lean())?.name).toBe('大渡河（金口河段）');
  });
});

describe('what a bad or unexpected file gets back (issue 15, item 12)', () => {
  const example = readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8');
  const lineOf = (source: string, needle: string) => source.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('explains a YAML slip in plain Chinese, by line, once, and names the YAML file in the footer', async () => {
    const broken = example.replace(
      '    kind: river\n    districtChief: wang-hezhang',
      '\tkind: river\n    districtChief: wang-hezhang',
    );
    const reply = await send('ou_example_qian', '金口河区名录.yaml', Buffer.from(broken));
    const shown = text(reply);
    expect(shown).not.toMatch(/[A-Z]{3,}_[A-Z_]+/); // no parser codes such as BAD_INDENT
    expect(shown).toContain('导入未完成：发现 1 处问题，未写入任何数据');
    expect(shown).toContain(`第 ${lineOf(broken, '\tkind: river')} 行：用了 Tab 键缩进；YAML 只能用空格缩进`);
    expect(shown).toContain('请按提示修改 YAML 文件后重新发送');
    expect(shown).not.toContain('工作簿');
  });

  it('lists every problem of a YAML file in one answer: field checks and references together', async () => {
    const broken = example
      .replace('mobile: 138-0000-0003', 'mobile: 1380000')
      .replace('  hour: 9\n', '  hour: 23\n')
      .replace('districtChief: wang-hezhang', 'districtChief: wang-nobody')
      .replace('kind: riverChiefOffice, members', 'kind: riverChiefOffice, head: nobody, members');
    const shown = text(await send('ou_example_qian', '名录.yml', Buffer.from(broken)));
    expect(shown).toContain('发现 4 处问题');
    expect(shown).toContain('手机号格式不正确');
    expect(shown).toContain('提醒时间应在 6 点到 20 点之间');
    expect(shown).toContain('野牛河的区级河湖长“wang-nobody”不在人员名单中');
    expect(shown).toContain('单位“区河长制办公室”的负责人“nobody”不在人员名单中');
    // A person whose mobile is wrong is still in the list: nobody is reported missing for it.
    expect(shown).not.toContain('“wang-hezhang”不在人员名单中');
  });

  it('lists a workbook’s field and reference problems together, worded for a workbook', async () => {
    const data = await workbook((book) => {
      book.getWorksheet('人员')!.getRow(4).getCell(3).value = '12345';
      book.getWorksheet('单位')!.getRow(2).getCell(4).value = 'nobody-here';
    });
    const shown = text(await send('ou_example_qian', '名录.xlsx', data));
    expect(shown).toContain('发现 2 处问题');
    expect(shown).toContain('「人员」第 4 行（手机号）：手机号格式不正确');
    expect(shown).toContain('「单位」第 2 行（成员编号）：单位“区总河长办公室”的成员“nobody-here”不在人员名单中');
    expect(shown).toContain('请按提示修改工作簿后重新发送');
  });

  it('tells office staff which files it takes when they send another kind', async () => {
    const reply = await send('ou_example_qian', '会议通知.txt', Buffer.from('hello'));
    expect(text(reply)).toContain('机器人无法处理“会议通知.txt”。直接发给机器人的文件只接收：');
    expect(JSON.stringify(reply?.content)).toContain('.xlsx');
    expect(JSON.stringify(reply?.content)).toContain('考核');
  });
});
