import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { nameOf, usePeople } from '../people.js';
import { CardEnvContext, FormContext } from './context.js';
import { bool, callbackValue, isObject, type Json, list, openUrl, str, textOf } from './json.js';

/**
 * The interactive components of card JSON 2.0. Inside a form they only hold a value for the
 * submit; outside one, a change is sent at once as Feishu does (`option` for selects and
 * pickers, `input_value` for an input).
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/button
 */

/** A field's value: from the enclosing form, or kept here when it stands alone. */
function useField<T>(el: Json, initial: T): [T, (value: T) => void, boolean] {
  const form = useContext(FormContext);
  const name = str(el.name) ?? '';
  const [own, setOwn] = useState<T>(initial);
  if (form && name) {
    const value = form.get(name);
    return [(value === undefined ? initial : value) as T, (v) => form.set(name, v), form.missing.has(name)];
  }
  return [own, setOwn, false];
}

function Field({ el, invalid, children }: { el: Json; invalid: boolean; children: preact.ComponentChildren }) {
  const label = textOf(el.label);
  const left = str(el.label_position) === 'left';
  return (
    <div class={`el field${invalid ? ' invalid' : ''}${left ? ' label-left' : ''}`} data-name={str(el.name)}>
      {label && (
        <label class="field-label">
          {el.required === true && <span class="required">*</span>}
          {label}
        </label>
      )}
      <div class="field-control">{children}</div>
      {invalid && <div class="field-error">请填写此项</div>}
    </div>
  );
}

/** Buttons: the 2.0 `type` styles, a confirm dialog first when `confirm` is set, then the callback. */
export function Button({ el }: { el: Json }) {
  const env = useContext(CardEnvContext);
  const form = useContext(FormContext);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const confirm = isObject(el.confirm) ? el.confirm : undefined;
  const disabled = bool(el.disabled) === true;

  const run = async () => {
    const action = str(el.form_action_type);
    if (action === 'reset') return form?.reset();
    const url = openUrl(el);
    if (url) {
      window.open(url, '_blank', 'noreferrer');
      return;
    }
    setBusy(true);
    try {
      if (action === 'submit' && form) await form.submit(el);
      else await env.act({ value: callbackValue(el), name: str(el.name) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class={`el btn btn-${str(el.type) ?? 'default'} btn-${str(el.size) ?? 'medium'}${str(el.width) === 'fill' ? ' btn-fill' : ''}`}
        disabled={disabled || busy}
        title={disabled ? textOf(el.disabled_tips) : textOf(el.hover_tips) || undefined}
        onClick={() => (confirm ? setConfirming(true) : void run())}
      >
        {busy && <span class="spinner" />}
        {textOf(el.text)}
      </button>
      {confirming && confirm && (
        <ConfirmDialog
          title={textOf(confirm.title)}
          text={textOf(confirm.text)}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void run();
          }}
        />
      )}
    </>
  );
}

/** The secondary confirmation Feishu shows before sending a button's callback. */
export function ConfirmDialog(props: { title: string; text: string; onCancel: () => void; onConfirm: () => void }) {
  return (
    <div class="modal-mask" onClick={props.onCancel}>
      <div class="modal" role="dialog" aria-label={props.title} onClick={(e) => e.stopPropagation()}>
        <div class="modal-title">{props.title}</div>
        <div class="modal-text">{props.text}</div>
        <div class="modal-actions">
          <button type="button" class="btn btn-default" onClick={props.onCancel}>
            取消
          </button>
          <button type="button" class="btn btn-primary_filled" onClick={props.onConfirm}>
            确定
          </button>
        </div>
      </div>
    </div>
  );
}

export function Input({ el }: { el: Json }) {
  const env = useContext(CardEnvContext);
  const inForm = useContext(FormContext) !== undefined;
  const [value, setValue, invalid] = useField(el, str(el.default_value) ?? '');
  const multiline = str(el.input_type) === 'multiline_text';
  const common = {
    class: 'input',
    name: str(el.name),
    placeholder: textOf(el.placeholder),
    'aria-label': textOf(el.label) || textOf(el.placeholder) || str(el.name),
    maxLength: typeof el.max_length === 'number' ? el.max_length : undefined,
    disabled: bool(el.disabled) === true,
    value,
    onInput: (e: Event) => setValue((e.currentTarget as HTMLInputElement).value),
  };
  const sendAlone = () => {
    if (!inForm) void env.act({ value: callbackValue(el), name: str(el.name), inputValue: value });
  };
  return (
    <Field el={el} invalid={invalid}>
      {multiline ? (
        <textarea {...common} rows={typeof el.rows === 'number' ? el.rows : 3} />
      ) : (
        <input
          {...common}
          type="text"
          onKeyDown={(e) => {
            if (e.key === 'Enter') sendAlone();
          }}
        />
      )}
    </Field>
  );
}

interface Option {
  value: string;
  label: string;
}

/**
 * A drop-down list as Feishu draws it (not the browser's own): the box shows the choice or the
 * placeholder; a multi-select keeps the list open and ticks each choice.
 */
function Dropdown(props: {
  options: Option[];
  selected: string[];
  multiple: boolean;
  placeholder: string;
  disabled: boolean;
  onPick: (values: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const labels = props.selected.map((v) => props.options.find((o) => o.value === v)?.label ?? v);
  const toggle = (value: string) => {
    if (!props.multiple) {
      setOpen(false);
      props.onPick([value]);
      return;
    }
    const has = props.selected.includes(value);
    props.onPick(has ? props.selected.filter((v) => v !== value) : [...props.selected, value]);
  };
  return (
    <div class={`dropdown${open ? ' open' : ''}`} ref={root}>
      <button
        type="button"
        class="dropdown-box"
        role="combobox"
        aria-expanded={open}
        aria-label={props.placeholder}
        disabled={props.disabled}
        onClick={() => setOpen(!open)}
      >
        {labels.length === 0 ? (
          <span class="placeholder-text">{props.placeholder || '请选择'}</span>
        ) : props.multiple ? (
          labels.map((l) => <span class="chip">{l}</span>)
        ) : (
          <span>{labels[0]}</span>
        )}
        <span class="dropdown-arrow">▾</span>
      </button>
      {open && (
        <ul class="dropdown-list" role="listbox" aria-multiselectable={props.multiple}>
          {props.options.map((o) => {
            const selected = props.selected.includes(o.value);
            return (
              <li
                role="option"
                aria-selected={selected}
                class={selected ? 'selected' : ''}
                onClick={() => toggle(o.value)}
              >
                {props.multiple && <span class="tick">{selected ? '☑' : '☐'}</span>}
                {o.label}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

const staticOptions = (el: Json): Option[] =>
  list(el.options).map((o) => ({ value: str(o.value) ?? '', label: textOf(o.text) }));

export function Select({ el }: { el: Json }) {
  const env = useContext(CardEnvContext);
  const inForm = useContext(FormContext) !== undefined;
  const options = staticOptions(el);
  const initialIndex = typeof el.initial_index === 'number' ? options[el.initial_index - 1]?.value : undefined;
  const [value, setValue, invalid] = useField<string | undefined>(el, str(el.initial_option) ?? initialIndex);
  return (
    <Field el={el} invalid={invalid}>
      <Dropdown
        options={options}
        selected={value ? [value] : []}
        multiple={false}
        placeholder={textOf(el.placeholder)}
        disabled={bool(el.disabled) === true}
        onPick={([v]) => {
          setValue(v);
          if (!inForm && v) void env.act({ value: callbackValue(el), name: str(el.name), option: v });
        }}
      />
    </Field>
  );
}

export function MultiSelect({ el }: { el: Json }) {
  const initial = Array.isArray(el.selected_values) ? (el.selected_values as string[]) : [];
  const [value, setValue, invalid] = useField<string[]>(el, initial);
  return (
    <Field el={el} invalid={invalid}>
      <Dropdown
        options={staticOptions(el)}
        selected={value}
        multiple
        placeholder={textOf(el.placeholder)}
        disabled={bool(el.disabled) === true}
        onPick={setValue}
      />
    </Field>
  );
}

/**
 * Person pickers: the listed people, or (no options) the people of the chat; the page offers the
 * whole directory there, having no member lists. Values are open_ids.
 */
export function PersonSelect({ el, multiple }: { el: Json; multiple: boolean }) {
  const env = useContext(CardEnvContext);
  const inForm = useContext(FormContext) !== undefined;
  const people = usePeople();
  const listed = list(el.options).map((o) => str(o.value) ?? '');
  const ids = listed.length > 0 ? listed : [...people.keys()];
  const options = ids.map((id) => ({ value: id, label: nameOf(people, id) }));
  const initial = multiple
    ? Array.isArray(el.selected_values)
      ? (el.selected_values as string[])
      : []
    : str(el.initial_option)
      ? [str(el.initial_option) as string]
      : [];
  const [value, setValue, invalid] = useField<string[] | string | undefined>(el, multiple ? initial : initial[0]);
  const selected = Array.isArray(value) ? value : value ? [value] : [];
  return (
    <Field el={el} invalid={invalid}>
      <Dropdown
        options={options}
        selected={selected}
        multiple={multiple}
        placeholder={textOf(el.placeholder) || '选择人员'}
        disabled={bool(el.disabled) === true}
        onPick={(values) => {
          if (multiple) return setValue(values);
          setValue(values[0]);
          if (!inForm && values[0]) void env.act({ value: callbackValue(el), name: str(el.name), option: values[0] });
        }}
      />
    </Field>
  );
}

/** date_picker: Feishu sends the day with the client's UTC offset, `2026-12-25 +0800`. */
export function DatePicker({ el }: { el: Json }) {
  const env = useContext(CardEnvContext);
  const inForm = useContext(FormContext) !== undefined;
  const initial = str(el.initial_date) ? `${str(el.initial_date)} ${env.offset}` : undefined;
  const [value, setValue, invalid] = useField<string | undefined>(el, initial);
  const day = value?.slice(0, 10) ?? '';
  const placeholder = textOf(el.placeholder) || '选择日期';
  return (
    <Field el={el} invalid={invalid}>
      <label class={`date-box${day ? ' filled' : ''}`}>
        {!day && <span class="placeholder-text">{placeholder}</span>}
        <input
          type="date"
          class="date-input"
          aria-label={placeholder}
          value={day}
          disabled={bool(el.disabled) === true}
          onChange={(e) => {
            const picked = e.currentTarget.value;
            const next = picked ? `${picked} ${env.offset}` : undefined;
            setValue(next);
            if (!inForm && next) void env.act({ value: callbackValue(el), name: str(el.name), option: next });
          }}
        />
      </label>
    </Field>
  );
}

/** picker_time (`HH:mm`) and picker_datetime (`yyyy-MM-dd HH:mm +0800`). */
export function TimePicker({ el }: { el: Json }) {
  const env = useContext(CardEnvContext);
  const inForm = useContext(FormContext) !== undefined;
  const withDate = el.tag === 'picker_datetime';
  const [value, setValue, invalid] = useField<string | undefined>(
    el,
    str(withDate ? el.initial_datetime : el.initial_time),
  );
  return (
    <Field el={el} invalid={invalid}>
      <input
        type={withDate ? 'datetime-local' : 'time'}
        class="input"
        aria-label={textOf(el.placeholder) || str(el.name)}
        value={value?.replace(' ', 'T').slice(0, withDate ? 16 : 5) ?? ''}
        onChange={(e) => {
          const raw = e.currentTarget.value;
          const next = withDate ? `${raw.replace('T', ' ')} ${env.offset}` : raw;
          setValue(next);
          if (!inForm) void env.act({ value: callbackValue(el), name: str(el.name), option: next });
        }}
      />
    </Field>
  );
}
