import { useContext, useMemo, useState } from 'preact/hooks';
import { CardEnvContext, FormContext, type FormState } from './context.js';
import { Elements } from './elements.js';
import { callbackValue, type Json, list, namedInputs, str } from './json.js';

/** A field's starting value, as the component's JSON sets it. */
function initialValue(el: Json, offset: string): unknown {
  switch (el.tag) {
    case 'input':
      return str(el.default_value) ?? '';
    case 'select_static': {
      const options = list(el.options);
      const index = typeof el.initial_index === 'number' ? options[el.initial_index - 1] : undefined;
      return str(el.initial_option) ?? str(index?.value);
    }
    case 'select_person':
      return str(el.initial_option);
    case 'multi_select_static':
    case 'multi_select_person':
      return Array.isArray(el.selected_values) ? [...(el.selected_values as string[])] : [];
    case 'date_picker':
      return str(el.initial_date) ? `${str(el.initial_date)} ${offset}` : undefined;
    case 'picker_time':
      return str(el.initial_time);
    case 'picker_datetime':
      return str(el.initial_datetime) ? `${str(el.initial_datetime)} ${offset}` : undefined;
    default:
      return undefined;
  }
}

const isEmpty = (v: unknown) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The form container: its fields keep their values until a submit button sends them all as
 * `form_value` (`{ name: value }`) with the button's callback; a required field left empty stops
 * the submit and is marked, as the Feishu client does.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/containers/form-container
 */
export function Form({ el }: { el: Json }) {
  const env = useContext(CardEnvContext);
  const fields = useMemo(() => namedInputs(list(el.elements)), [el]);
  const initial = () => new Map(fields.map((f) => [str(f.name) ?? '', initialValue(f, env.offset)]));
  const [values, setValues] = useState(initial);
  const [missing, setMissing] = useState(new Set<string>());

  const state: FormState = {
    get: (name) => values.get(name),
    set: (name, value) => {
      setValues((old) => new Map(old).set(name, value));
      setMissing((old) => {
        if (!old.has(name)) return old;
        const next = new Set(old);
        next.delete(name);
        return next;
      });
    },
    missing,
    submit: async (button) => {
      const empty = fields.filter((f) => f.required === true && isEmpty(values.get(str(f.name) ?? '')));
      if (empty.length > 0) {
        setMissing(new Set(empty.map((f) => str(f.name) ?? '')));
        return;
      }
      const formValue: Record<string, unknown> = {};
      for (const [name, value] of values) if (!isEmpty(value)) formValue[name] = value;
      await env.act({ value: callbackValue(button), name: str(button.name), formValue });
    },
    reset: () => {
      setValues(initial());
      setMissing(new Set());
    },
  };
  return (
    <FormContext.Provider value={state}>
      <form class="el card-form" data-form={str(el.name)} onSubmit={(e) => e.preventDefault()}>
        <Elements elements={list(el.elements)} />
      </form>
    </FormContext.Provider>
  );
}
