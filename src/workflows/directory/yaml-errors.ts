import type { LineCounter, YAMLError } from 'yaml';
import type { DirectoryProblem } from '../../domain/directory/directory.js';

/**
 * The YAML parser's errors in the words of office staff: the line, what is wrong there and
 * what to do, never the parser's code. One slip (a tab, a missing colon) makes the parser
 * complain about every following line of the same block; those follow-on complaints are
 * folded into the first one, which names the lines they cover.
 */

/** What is wrong and what to do, per parser code (yaml 2.x `ErrorCode`). */
function explain(error: YAMLError): string {
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return '用了 Tab 键缩进；YAML 只能用空格缩进，请把 Tab 换成空格（同级各行对齐）';
    case 'BAD_INDENT':
      return /Flow (map|sequence)|end with/.test(error.message)
        ? '花括号 { } 或方括号 [ ] 没有成对，或其后的行缩进不够；请补全括号，或把内容写在同一行'
        : '缩进不一致：同一层的各项须从同一列开始，请与上下行对齐（只用空格）';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return '此行不是“名称: 内容”的样子，或缩进与上一行不一致；请检查冒号（英文冒号后加空格）和缩进';
    case 'MISSING_CHAR':
      if (/quote/i.test(error.message)) return '引号没有成对；请补上结尾的引号';
      if (/[\]}]/.test(error.message)) return '括号没有成对；请补上结尾的 ] 或 }，各项之间用英文逗号分隔';
      return '缺少英文冒号；请写成“名称: 内容”（冒号后加一个空格）';
    case 'DUPLICATE_KEY':
      return '同一层出现了两个相同的项目名；请删去或合并其中一个';
    case 'BAD_SCALAR_START':
      return '此处的内容以 YAML 保留的符号开头（如 @ ` | > % 等）；请给这段文字加上英文引号';
    case 'UNEXPECTED_TOKEN':
    case 'BLOCK_IN_FLOW':
      return '此处有多余或放错位置的符号；请对照示例文件检查本行的括号、逗号和冒号';
    case 'BAD_DQ_ESCAPE':
      return '双引号内的反斜杠 \\ 用法不对；请去掉反斜杠，或改用单引号';
    case 'MULTIPLE_DOCS':
      return '文件中有分隔线 ---，被当成了多个文件；请删去 --- 或只保留一份名录';
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
    case 'MULTIPLE_ANCHORS':
    case 'BAD_PROP_ORDER':
      return '此行的 & 或 * 符号被当成了 YAML 的引用；如是文字内容，请加上英文引号';
    case 'NON_STRING_KEY':
    case 'KEY_OVER_1024_CHARS':
      return '项目名写法不对；项目名应是一段简短的文字，如 name、mobile';
    default:
      return '此处的写法无法识别；请对照示例文件（examples/jinkouhe.yaml）检查本行';
  }
}

/** Codes that follow another error in the same block rather than stand on their own. */
const FOLLOW_ON = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'MISSING_CHAR']);

/** Every syntax error of the file, one problem per slip, each with its line. */
export function yamlSyntaxProblems(errors: readonly YAMLError[], lines: LineCounter): DirectoryProblem[] {
  const groups: Array<{ first: YAMLError; line: number; last: number }> = [];
  for (const error of errors) {
    const line = lines.linePos(error.pos[0]).line;
    const open = groups.at(-1);
    // Errors on the next line or two after an earlier one come from it (the parser lost its place).
    if (open && line <= open.last + 2 && FOLLOW_ON.has(error.code)) {
      open.last = Math.max(open.last, line);
      continue;
    }
    groups.push({ first: error, line, last: line });
  }
  return groups.map((g) => ({
    where: `第 ${g.line} 行`,
    message: `${explain(g.first)}${g.last > g.line ? `（第 ${g.line + 1}–${g.last} 行的格式问题多由此引起，改正后一并消失）` : ''}`,
  }));
}
