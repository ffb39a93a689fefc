import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { BROWSER_TEST_TIMEOUT, eventually, textOf, useLocalPage } from './helpers/local-page.js';

const t = useLocalPage();
const EXAMPLE = fileURLToPath(new URL('../../examples/jinkouhe.yaml', import.meta.url));

test(
  'office staff upload the directory as a file in their direct chat and get the import summary',
  async () => {
    const { page } = t;
    await t.openAs('钱某某');
    await t.openChat('河湖长助手');
    await page.getByTestId('file-input').setInputFiles(EXAMPLE);

    // The file shows as sent by the person, and the bot answers it with the import card.
    await expect.poll(() => textOf(page.getByTestId('file').locator('.file-name')), eventually).toBe('jinkouhe.yaml');
    const summary = t.cards('jinkouhe.yaml').last();
    await expect.poll(() => textOf(summary), eventually).toContain('人员');
    expect(await textOf(summary.locator('.card-title'))).toContain('组织名录');
  },
  BROWSER_TEST_TIMEOUT,
);
