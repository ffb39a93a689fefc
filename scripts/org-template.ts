/**
 * `npm run org:template -- [OUT.xlsx]`: writes the directory workbook template, filled with
 * the example district (examples/jinkouhe.yaml), for office staff to edit and import.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { directoryToWorkbook } from '../src/workflows/directory/xlsx-directory.js';
import { parseYamlDirectory } from '../src/workflows/directory/yaml-directory.js';

const out = process.argv[2] ?? '组织名录模板.xlsx';
const example = await readFile(new URL('../examples/jinkouhe.yaml', import.meta.url), 'utf8');
const parsed = parseYamlDirectory(example);
if (!parsed.ok) {
  console.error('examples/jinkouhe.yaml has problems:', parsed.problems);
  process.exit(1);
}
await writeFile(out, await directoryToWorkbook(parsed.directory));
console.log(`已生成名录模板：${out}（工作表：设置、人员、单位、河湖、节假日）`);
