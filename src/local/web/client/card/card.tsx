import { headerBackground, tagColor } from './colors.js';
import { Elements } from './elements.js';
import { isObject, type Json, list, str, textOf } from './json.js';

/**
 * One card JSON 2.0 as Feishu draws it in a chat: header (title, subtitle, suffix tags, colour
 * template), then the body's components top to bottom.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure
 */
export function Card({ card }: { card: Json }) {
  const header = isObject(card.header) ? card.header : undefined;
  const body = isObject(card.body) ? card.body : {};
  const config = isObject(card.config) ? card.config : {};
  const wide = str(config.width_mode) === 'fill';
  return (
    <div class={`card${wide ? ' card-fill' : ''}`} data-testid="card">
      {header && <Header header={header} />}
      <div class="card-body">
        <Elements elements={list(body.elements)} />
      </div>
    </div>
  );
}

function Header({ header }: { header: Json }) {
  const template = str(header.template);
  const tags = list(header.text_tag_list).slice(0, 3);
  const subtitle = textOf(header.subtitle);
  return (
    <div class="card-header" data-template={template ?? 'default'} style={{ background: headerBackground(template) }}>
      <div class="card-title-row">
        <span class="card-title">{textOf(header.title)}</span>
        {tags.map((tag) => (
          <span class="text-tag" style={tagColor(str(tag.color))}>
            {textOf(tag.text)}
          </span>
        ))}
      </div>
      {subtitle && <div class="card-subtitle">{subtitle}</div>}
    </div>
  );
}
