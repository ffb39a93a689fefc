import { useState } from 'preact/hooks';
import { nameOf, usePeople } from '../people.js';
import { Chart } from './chart.js';
import { Button, DatePicker, Input, MultiSelect, PersonSelect, Select, TimePicker } from './controls.js';
import { Form } from './form.js';
import { isObject, type Json, list, str, textOf } from './json.js';
import { InlineMarkdown, Markdown } from './markdown.js';

/** A list of components, top to bottom. */
export function Elements({ elements }: { elements: Json[] }) {
  return (
    <>
      {elements.map((el) => (
        <Element el={el} />
      ))}
    </>
  );
}

const ALIGN: Record<string, string> = { left: 'flex-start', center: 'center', right: 'flex-end' };

function Element({ el }: { el: Json }) {
  switch (el.tag) {
    case 'markdown':
      return (
        <div class={`el el-markdown size-${str(el.text_size) ?? 'normal'}`} style={{ textAlign: str(el.text_align) }}>
          <Markdown content={str(el.content) ?? textOf(el.i18n_content)} />
        </div>
      );
    case 'div':
      return (
        <div class="el el-div">
          {isObject(el.text) && el.text.tag === 'lark_md' ? <Markdown content={textOf(el.text)} /> : textOf(el.text)}
        </div>
      );
    case 'hr':
      return <hr class="el el-hr" />;
    case 'img':
      return (
        <div class="el el-img placeholder" title={str(el.img_key)}>
          [图片] {textOf(el.alt)}
        </div>
      );
    case 'person':
      return <PersonChip openId={str(el.user_id) ?? ''} />;
    case 'chart':
      return <Chart el={el} />;
    case 'column_set':
      return <ColumnSet el={el} />;
    case 'collapsible_panel':
      return <Panel el={el} />;
    case 'form':
      return <Form el={el} />;
    case 'button':
      return <Button el={el} />;
    case 'input':
      return <Input el={el} />;
    case 'select_static':
      return <Select el={el} />;
    case 'multi_select_static':
      return <MultiSelect el={el} />;
    case 'select_person':
      return <PersonSelect el={el} multiple={false} />;
    case 'multi_select_person':
      return <PersonSelect el={el} multiple />;
    case 'date_picker':
      return <DatePicker el={el} />;
    case 'picker_time':
    case 'picker_datetime':
      return <TimePicker el={el} />;
    default:
      // Feishu shows an "upgrade your client" placeholder for what it cannot draw.
      return <div class="el placeholder">[暂不支持的组件：{str(el.tag) ?? '?'}]</div>;
  }
}

/**
 * column_set: `none` keeps columns side by side, `flow` wraps them, `bisect`/`trisect` split
 * evenly; a `weighted` column takes its weight, an `auto` column its content's width.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/containers/column-set
 */
function ColumnSet({ el }: { el: Json }) {
  const mode = str(el.flex_mode) ?? 'none';
  const columns = list(el.columns);
  return (
    <div
      class={`el column-set flex-${mode}`}
      style={{ justifyContent: ALIGN[str(el.horizontal_align) ?? 'left'], gap: spacing(str(el.horizontal_spacing)) }}
    >
      {columns.map((column) => {
        const width = str(column.width) ?? 'auto';
        const flex =
          mode === 'bisect' || mode === 'trisect'
            ? '1 1 0'
            : width === 'weighted'
              ? `${typeof column.weight === 'number' ? column.weight : 1} 1 0`
              : width === 'auto'
                ? '0 0 auto'
                : `0 0 ${width}`;
        return (
          <div
            class="column"
            style={{
              flex,
              alignSelf: { top: 'flex-start', center: 'center', bottom: 'flex-end' }[
                str(column.vertical_align) ?? 'top'
              ],
            }}
          >
            <Elements elements={list(column.elements)} />
          </div>
        );
      })}
    </div>
  );
}

function spacing(value: string | undefined): string {
  if (!value) return '8px';
  return { small: '4px', medium: '8px', large: '12px', extra_large: '16px' }[value] ?? value;
}

/**
 * collapsible_panel: a header that folds its elements away; `expanded` is the initial state.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/containers/collapsible-panel
 */
function Panel({ el }: { el: Json }) {
  const [open, setOpen] = useState(el.expanded === true);
  const header = isObject(el.header) ? el.header : {};
  const title = isObject(header.title) ? header.title : {};
  return (
    <div class={`el panel${open ? ' open' : ''}`}>
      <button type="button" class="panel-header" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class="panel-title">
          {title.tag === 'lark_md' ? <InlineMarkdown content={textOf(title)} /> : textOf(title)}
        </span>
        <span class="panel-arrow">{open ? '▴' : '▾'}</span>
      </button>
      {open && (
        <div class="panel-body">
          <Elements elements={list(el.elements)} />
        </div>
      )}
    </div>
  );
}

function PersonChip({ openId }: { openId: string }) {
  const people = usePeople();
  return <span class="el person-chip">{nameOf(people, openId)}</span>;
}
