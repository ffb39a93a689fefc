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
    expect(reply?.content).toEqual({ text: '只有区河长制办公室、区总河长办公室人员可以导入组织名录；如需更新名录，请联系河长办。' });
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
