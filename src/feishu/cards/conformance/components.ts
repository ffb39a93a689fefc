import {
  anyText,
  arr,
  BOX,
  behaviors,
  bool,
  CONFIRM,
  DIRECTION,
  elements,
  freeObject,
  H_ALIGN,
  ICON,
  int,
  obj,
  type PropRule,
  pattern,
  plainText,
  SPACING,
  str,
  stringOrObject,
  V_ALIGN,
  WIDTH,
} from './rules.js';

/**
 * The card JSON 2.0 components the validator knows, one entry per `tag`, each with the page
 * it was written from. A tag missing here is refused: 2.0 reports what it does not support
 * instead of ignoring it (卡片 JSON 2.0 版本更新说明, "属性校验变更":
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-breaking-changes-release-notes).
 */
export interface ComponentSpec {
  doc: string;
  props: Record<string, PropRule>;
  required?: readonly string[];
  /** Collects user input; inside a form it needs a `name` unique in the card. */
  interactive?: boolean;
  /** May only stand inside a form container. */
  formOnly?: boolean;
}

const DOCS = 'https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components';

/** Every 2.0 component carries an optional id and (most) a margin. */
const COMMON: Record<string, PropRule> = {
  tag: str(),
  element_id: pattern(/^[A-Za-z][A-Za-z0-9_]{0,19}$/, 'a letter then ≤19 letters, digits or _'),
  margin: BOX,
};

/** Fields shared by the interactive components (name, required, disabled, confirm, behaviors). */
const INTERACTIVE: Record<string, PropRule> = {
  ...COMMON,
  name: str(),
  required: bool,
  disabled: bool,
  disabled_tips: plainText(),
  placeholder: plainText(100),
  width: WIDTH,
  value: stringOrObject,
  confirm: CONFIRM,
  behaviors,
};

/** A static option: plain_text label and a value. */
const STATIC_OPTION = obj({ text: plainText(), value: str(), icon: freeObject }, ['text', 'value']);
/** A person option: just the person's open_id. */
const PERSON_OPTION = obj({ value: str() }, ['value']);

/** Container layout fields (form, column, collapsible_panel, body). */
const LAYOUT: Record<string, PropRule> = {
  direction: DIRECTION,
  horizontal_spacing: SPACING,
  vertical_spacing: SPACING,
  horizontal_align: H_ALIGN,
  vertical_align: V_ALIGN,
  padding: BOX,
};

/**
 * text_tag colours; `grey` is a header template colour, not a tag colour.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/title
 */
export const TEXT_TAG_COLORS = [
  'neutral',
  'blue',
  'turquoise',
  'lime',
  'orange',
  'violet',
  'indigo',
  'wathet',
  'green',
  'yellow',
  'red',
  'purple',
  'carmine',
] as const;

export const COMPONENTS: Record<string, ComponentSpec> = {
  markdown: {
    doc: `${DOCS}/content-components/rich-text`,
    props: { ...COMMON, content: str(), i18n_content: freeObject, text_size: str(), text_align: H_ALIGN, icon: ICON },
    required: ['content'],
  },
  div: {
    doc: `${DOCS}/content-components/plain-text`,
    props: { ...COMMON, width: WIDTH, text: anyText, icon: ICON },
  },
  hr: { doc: `${DOCS}/content-components/divider`, props: { ...COMMON } },
  img: {
    doc: `${DOCS}/content-components/image`,
    props: {
      ...COMMON,
      img_key: str(),
      alt: plainText(),
      title: anyText,
      corner_radius: str(),
      scale_type: str(['crop_center', 'crop_top', 'fit_horizontal']),
      size: str(),
      transparent: bool,
      preview: bool,
    },
    required: ['img_key'],
  },
  person: {
    doc: `${DOCS}/content-components/user-profile`,
    props: {
      ...COMMON,
      user_id: str(),
      size: str(['extra_small', 'small', 'medium', 'large']),
      show_avatar: bool,
      show_name: bool,
      style: str(['normal', 'capsule']),
    },
    required: ['user_id'],
  },
  chart: {
    // aspect_ratio and color_theme enums; chart_spec is a VChart spec object.
    doc: `${DOCS}/content-components/chart`,
    props: {
      ...COMMON,
      aspect_ratio: str(['1:1', '2:1', '4:3', '16:9']),
      color_theme: str(['brand', 'rainbow', 'complementary', 'converse', 'primary']),
      chart_spec: freeObject,
      preview: bool,
      height: str(),
    },
    required: ['chart_spec'],
  },
  column_set: {
    doc: `${DOCS}/containers/column-set`,
    props: {
      ...COMMON,
      flex_mode: str(['none', 'stretch', 'flow', 'bisect', 'trisect']),
      horizontal_spacing: SPACING,
      horizontal_align: H_ALIGN,
      background_style: str(),
      columns: elements,
      action: freeObject,
    },
  },
  column: {
    doc: `${DOCS}/containers/column-set`,
    props: {
      ...COMMON,
      ...LAYOUT,
      background_style: str(),
      width: pattern(/^(auto|weighted|\d+px)$/, 'auto|weighted|[16,600]px'),
      weight: int(1, 5),
      elements,
      action: freeObject,
    },
  },
  collapsible_panel: {
    doc: `${DOCS}/containers/collapsible-panel`,
    props: {
      ...COMMON,
      ...LAYOUT,
      expanded: bool,
      background_color: str(),
      header: obj(
        {
          title: anyText,
          background_color: str(),
          vertical_align: V_ALIGN,
          padding: BOX,
          width: str(),
          icon: ICON,
          icon_position: str(['left', 'right', 'follow_text']),
          icon_expanded_angle: int(-180, 180),
        },
        ['title'],
      ),
      border: obj({ color: str(), corner_radius: str() }),
      elements,
    },
  },
  form: {
    // Root-only, no nested form or table, a submit button; see the walker.
    doc: `${DOCS}/containers/form-container`,
    props: { ...COMMON, ...LAYOUT, name: str(), elements },
    required: ['name', 'elements'],
  },
  button: {
    doc: `${DOCS}/interactive-components/button`,
    props: {
      ...INTERACTIVE,
      type: str([
        'default',
        'primary',
        'danger',
        'text',
        'primary_text',
        'danger_text',
        'primary_filled',
        'danger_filled',
        'laser',
      ]),
      size: str(['tiny', 'small', 'medium', 'large']),
      text: plainText(100),
      icon: ICON,
      hover_tips: plainText(),
      form_action_type: str(['submit', 'reset']),
    },
    interactive: true,
  },
  input: {
    // max_length is an integer in 1–1000; input_type and label_position enums.
    doc: `${DOCS}/interactive-components/input`,
    props: {
      ...INTERACTIVE,
      default_value: str(),
      max_length: int(1, 1000),
      input_type: str(['text', 'multiline_text', 'password']),
      show_icon: bool,
      rows: int(1),
      auto_resize: bool,
      max_rows: int(1),
      label: plainText(),
      label_position: str(['top', 'left']),
    },
    interactive: true,
  },
  select_static: {
    // At least one option, each { text: plain_text, value }.
    doc: `${DOCS}/interactive-components/single-select-dropdown-menu`,
    props: {
      ...INTERACTIVE,
      type: str(['default', 'text']),
      initial_index: int(1),
      initial_option: str(),
      options: arr(STATIC_OPTION, 1),
    },
    required: ['options'],
    interactive: true,
  },
  multi_select_static: {
    doc: `${DOCS}/interactive-components/multi-select-dropdown-menu`,
    props: {
      ...INTERACTIVE,
      type: str(['default', 'text']),
      selected_values: arr(str()),
      options: arr(STATIC_OPTION, 1),
    },
    required: ['options'],
    interactive: true,
    formOnly: true,
  },
  select_person: {
    doc: `${DOCS}/interactive-components/single-select-user-picker`,
    props: { ...INTERACTIVE, type: str(['default', 'text']), initial_option: str(), options: arr(PERSON_OPTION) },
    interactive: true,
  },
  multi_select_person: {
    doc: `${DOCS}/interactive-components/multi-select-user-picker`,
    props: { ...INTERACTIVE, type: str(['default', 'text']), selected_values: arr(str()), options: arr(PERSON_OPTION) },
    interactive: true,
    formOnly: true,
  },
  date_picker: {
    // initial_date is yyyy-MM-dd.
    doc: `${DOCS}/interactive-components/date-picker`,
    props: { ...INTERACTIVE, initial_date: pattern(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd') },
    interactive: true,
  },
  picker_time: {
    doc: `${DOCS}/interactive-components/time-selector`,
    props: { ...INTERACTIVE, initial_time: pattern(/^\d{2}:\d{2}$/, 'HH:mm') },
    interactive: true,
  },
  picker_datetime: {
    doc: `${DOCS}/interactive-components/date-time-picker`,
    props: { ...INTERACTIVE, initial_datetime: pattern(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm') },
    interactive: true,
  },
};

/**
 * The header: title required; subtitle plain_text; suffix tags; template colour enum.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/title
 */
export const HEADER_TEMPLATES = [
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
  'default',
] as const;
const TEXT_TAG = obj({ tag: str(['text_tag']), element_id: str(), text: plainText(), color: str(TEXT_TAG_COLORS) }, [
  'tag',
  'text',
]);
export const HEADER = obj(
  {
    title: anyText,
    subtitle: anyText,
    text_tag_list: arr(TEXT_TAG),
    i18n_text_tag_list: freeObject,
    template: str(HEADER_TEMPLATES),
    icon: ICON,
    padding: BOX,
  },
  ['title'],
);

/**
 * Global config in 2.0; `update_multi` only accepts true (2.0 cards are always shared).
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-breaking-changes-release-notes
 */
export const CONFIG = obj({
  streaming_mode: bool,
  streaming_config: freeObject,
  summary: obj({ content: str(), i18n_content: freeObject }),
  locales: arr(str()),
  enable_forward: bool,
  enable_forward_interaction: bool,
  update_multi: bool,
  width_mode: str(['compact', 'fill', 'default']),
  use_custom_translation: bool,
  style: freeObject,
});

/** card_link: one default url plus per-platform urls. */
export const CARD_LINK = obj({ url: str(), android_url: str(), ios_url: str(), pc_url: str() });

/**
 * body: layout fields and the elements list.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure
 */
export const BODY_PROPS: Record<string, PropRule> = { ...LAYOUT, elements };

/**
 * Top-level fields of a 2.0 card. `elements` and `i18n_elements` moved under `body` / away,
 * and `fallback` is not supported in 2.0 (版本更新说明).
 */
export const TOP_LEVEL_KEYS = ['schema', 'config', 'card_link', 'header', 'i18n_header', 'body'] as const;
