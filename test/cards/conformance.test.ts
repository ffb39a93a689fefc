import { describe, expect, it } from 'vitest';
import {
  CardErrorCode,
  cardByteSize,
  componentCount,
  validateCallbackAnswer,
  validateCard,
} from '../../src/feishu/cards/conformance.js';

/** The documented card JSON 2.0 rules, one kind of violation per test. */

const text = (content: string) => ({ tag: 'plain_text', content });
const submit = (name = 'submit') => ({
  tag: 'button',
  name,
  text: text('提交'),
  type: 'primary',
  form_action_type: 'submit',
  behaviors: [{ type: 'callback', value: { a: 'x.submit' } }],
});

function card(elements: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    header: {
      title: text('巡河提醒'),
      subtitle: text('永和河'),
      template: 'blue',
      text_tag_list: [{ tag: 'text_tag', text: text('待处理'), color: 'orange' }],
    },
    body: { elements },
    ...extra,
  };
}

const validForm = {
  tag: 'form',
  name: 'patrol_form',
  elements: [
    { tag: 'date_picker', name: 'date', required: true, initial_date: '2024-04-01', placeholder: text('巡河日期') },
    {
      tag: 'input',
      name: 'observations',
      input_type: 'multiline_text',
      rows: 3,
      max_length: 1000,
      label: text('巡河情况'),
    },
    { tag: 'select_static', name: 'river', options: [{ text: text('永和河'), value: 'r1' }] },
    { tag: 'multi_select_person', name: 'people', options: [{ value: 'ou_1' }] },
    submit(),
  ],
};

function rules(value: unknown): string[] {
  return validateCard(value).map((v) => `${v.rule} ${v.path}`);
}

describe('validateCard', () => {
  it('accepts a card that follows the documented rules', () => {
    const ok = card([
      { tag: 'markdown', content: '**本次巡河关注事项**' },
      { tag: 'hr' },
      validForm,
      {
        tag: 'column_set',
        flex_mode: 'flow',
        columns: [
          {
            tag: 'column',
            width: 'auto',
            elements: [
              {
                tag: 'button',
                text: text('返回'),
                type: 'default',
                behaviors: [{ type: 'callback', value: { a: 'back' } }],
              },
            ],
          },
        ],
      },
      {
        tag: 'collapsible_panel',
        expanded: false,
        header: { title: text('处理记录') },
        elements: [{ tag: 'markdown', content: '…' }],
      },
      { tag: 'chart', aspect_ratio: '16:9', chart_spec: { type: 'bar', data: [] } },
    ]);
    expect(validateCard(ok)).toEqual([]);
  });

  it('requires schema 2.0', () => {
    expect(rules({ ...card([]), schema: '1.0' })).toContain('schema schema');
  });

  it('refuses an unknown tag', () => {
    expect(rules(card([{ tag: 'note', elements: [] }]))).toEqual(['unknown-tag body.elements[0].tag']);
  });

  it('refuses an unknown property, as 2.0 reports unsupported properties', () => {
    expect(rules(card([{ tag: 'markdown', content: 'x', href: {} }]))).toEqual([
      'unknown-property body.elements[0].href',
    ]);
    expect(rules(card([], { elements: [] }))).toEqual(['unknown-property elements']);
  });

  it('refuses a value outside an enum: text_tag colour grey', () => {
    const bad = card([]);
    (bad.header as { text_tag_list: Array<{ color: string }> }).text_tag_list[0]!.color = 'grey';
    const violations = validateCard(bad);
    expect(violations).toMatchObject([
      { rule: 'enum', path: 'header.text_tag_list[0].color', code: CardErrorCode.invalidCard },
    ]);
  });

  it('refuses input.max_length outside 1–1000', () => {
    expect(
      rules(card([{ ...validForm, elements: [{ tag: 'input', name: 'a', max_length: 2000 }, submit()] }])),
    ).toEqual(['range body.elements[0].elements[0].max_length']);
  });

  it('refuses a select_static without options', () => {
    expect(
      rules(card([{ ...validForm, elements: [{ tag: 'select_static', name: 'dept', options: [] }, submit()] }])),
    ).toEqual(['empty-list body.elements[0].elements[0].options']);
  });

  it('refuses a form nested in another form, or anywhere below body', () => {
    const nested = {
      ...validForm,
      elements: [{ ...validForm, name: 'inner', elements: [submit('inner_submit')] }, submit()],
    };
    expect(rules(card([nested]))).toContain('form-nested body.elements[0].elements[0]');
    const inColumn = { tag: 'column_set', columns: [{ tag: 'column', elements: [validForm] }] };
    expect(rules(card([inColumn]))).toContain('form-placement body.elements[0].columns[0].elements[0]');
  });

  it('refuses duplicate and missing names inside a form', () => {
    const dup = {
      ...validForm,
      elements: [{ tag: 'input', name: 'a' }, { tag: 'input', name: 'a' }, { tag: 'input' }, submit()],
    };
    expect(rules(card([dup]))).toEqual([
      'form-name-duplicate body.elements[0].elements[1].name',
      'form-name-missing body.elements[0].elements[2].name',
    ]);
  });

  it('refuses a form without a submit button', () => {
    expect(rules(card([{ ...validForm, elements: [{ tag: 'input', name: 'a' }] }]))).toEqual([
      'form-missing-submit body.elements[0]',
    ]);
  });

  it('refuses a multi-select outside a form', () => {
    expect(rules(card([{ tag: 'multi_select_static', options: [{ text: text('甲'), value: 'a' }] }]))).toEqual([
      'form-only body.elements[0]',
    ]);
  });

  it('refuses malformed behaviors and confirm dialogs', () => {
    const button = {
      tag: 'button',
      text: text('删除'),
      behaviors: [{ type: 'callback', value: 'x' }],
      confirm: { title: text('确认？') },
    };
    expect(rules(card([button])).sort()).toEqual([
      'missing-property body.elements[0].confirm.text',
      'type body.elements[0].behaviors[0].value',
    ]);
    expect(rules(card([{ tag: 'button', text: text('x'), behaviors: [{ type: 'open_url' }] }]))).toEqual([
      'missing-property body.elements[0].behaviors[0].default_url',
    ]);
  });

  it('refuses a chart with an aspect ratio Feishu does not offer', () => {
    expect(rules(card([{ tag: 'chart', aspect_ratio: '3:2', chart_spec: {} }]))).toEqual([
      'enum body.elements[0].aspect_ratio',
    ]);
  });

  it('refuses more than 200 components, counting every plain_text and select option', () => {
    const options = Array.from({ length: 200 }, (_, i) => ({ text: text(`人${i}`), value: `ou_${i}` }));
    const big = card([{ ...validForm, elements: [{ tag: 'select_static', name: 'who', options }, submit()] }]);
    expect(componentCount(big)).toBeGreaterThan(200);
    expect(validateCard(big)).toMatchObject([{ rule: 'component-limit', path: '', code: CardErrorCode.invalidCard }]);
  });

  it('refuses more than 30 KB of JSON with the size code', () => {
    const big = card([{ tag: 'markdown', content: '河'.repeat(11_000) }]);
    expect(cardByteSize(big)).toBeGreaterThan(30 * 1024);
    expect(validateCard(big)).toMatchObject([{ rule: 'size-limit', code: CardErrorCode.tooLarge }]);
  });
});

describe('validateCallbackAnswer', () => {
  const raw = card([{ tag: 'markdown', content: '已确认' }]);

  it('accepts {}, a toast, a raw card and a template card', () => {
    expect(validateCallbackAnswer({})).toEqual([]);
    expect(
      validateCallbackAnswer({ toast: { type: 'success', content: '已提交' }, card: { type: 'raw', data: raw } }),
    ).toEqual([]);
    expect(
      validateCallbackAnswer({
        card: { type: 'template', data: { template_id: 'AAq1', template_variable: { a: 1 } } },
      }),
    ).toEqual([]);
  });

  it('refuses a card placed bare under "card"', () => {
    expect(validateCallbackAnswer({ card: raw })).toMatchObject([
      { rule: 'callback-card-shape', path: 'card', code: CardErrorCode.callbackIllegalFormat },
    ]);
  });

  it('refuses keys other than toast and card', () => {
    expect(validateCallbackAnswer({ toast: { type: 'info', content: 'x' }, ok: true })).toMatchObject([
      { rule: 'unknown-property', path: 'ok' },
    ]);
  });

  it('refuses a toast type outside the enum', () => {
    expect(validateCallbackAnswer({ toast: { type: 'danger', content: 'x' } })).toMatchObject([
      { rule: 'enum', path: 'toast.type' },
    ]);
  });

  it('refuses a raw card that breaks a card rule, as the wrong-card error', () => {
    const bad = card([{ tag: 'input', name: 'a', max_length: 5000 }]);
    expect(validateCallbackAnswer({ card: { type: 'raw', data: bad } })).toMatchObject([
      { rule: 'range', path: 'card.data.body.elements[0].max_length', code: CardErrorCode.callbackWrongCard },
    ]);
  });
});
