/**
 * Feishu's card colour names as the client paints them (light mode): a name without a shade is
 * its `-600` text colour; tags use the `-100` background with a dark text; headers a light tint.
 * Colour enum: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/enumerations-for-fields-related-to-color
 */

interface Shade {
  /** Text (`<font color>`), ~-600. */
  text: string;
  /** Tag and header background, ~-100. */
  soft: string;
  /** Tag text, ~-700. */
  strong: string;
}

const NEUTRAL: Shade = { text: '#646a73', soft: '#eff0f1', strong: '#51565d' };

const PALETTE: Record<string, Shade> = {
  blue: { text: '#245bdb', soft: '#e1eaff', strong: '#1d4eb8' },
  wathet: { text: '#037eaa', soft: '#d9f3fd', strong: '#006d94' },
  turquoise: { text: '#078372', soft: '#d5f6f2', strong: '#036b5e' },
  green: { text: '#2ea121', soft: '#d9f5d6', strong: '#237b19' },
  lime: { text: '#667901', soft: '#eef6c6', strong: '#5a6b00' },
  yellow: { text: '#aa7803', soft: '#faf1d1', strong: '#8f6400' },
  orange: { text: '#de7802', soft: '#feead2', strong: '#b26206' },
  red: { text: '#d83931', soft: '#fde2e2', strong: '#ac2f28' },
  carmine: { text: '#c71077', soft: '#fdddef', strong: '#a10f62' },
  violet: { text: '#b220e1', soft: '#f5dffc', strong: '#8e1cb3' },
  purple: { text: '#6425d0', soft: '#ece2fe', strong: '#5120a9' },
  indigo: { text: '#3b42c9', soft: '#e0e2fa', strong: '#2f35a3' },
  grey: { text: '#646a73', soft: '#eff0f1', strong: '#51565d' },
  neutral: NEUTRAL,
};

/** `<font color='red'>`, a colour name with a shade (`red-500`) or a literal CSS colour. */
export function textColor(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const base = PALETTE[name.replace(/-\d+$/, '')];
  if (base) return base.text;
  return /^(#[0-9a-f]{3,8}|rgba?\([^)]*\))$/i.test(name) ? name : undefined;
}

/** A `text_tag`'s colours. */
export function tagColor(name: string | undefined): { background: string; color: string } {
  const shade = PALETTE[name ?? 'neutral'] ?? NEUTRAL;
  return { background: shade.soft, color: shade.strong };
}

/** The header's background for its `template`; `default` and unknown names are white. */
export function headerBackground(template: string | undefined): string {
  const shade = template && template !== 'default' ? PALETTE[template] : undefined;
  return shade ? shade.soft : '#ffffff';
}
