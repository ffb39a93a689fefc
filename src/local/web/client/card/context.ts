import { createContext } from 'preact';
import type { TapAnswer } from '../api.js';
import type { Json } from './json.js';

/** What a tap on a card component sends: Feishu's `action` fields, by the API's names. */
export interface CardAction {
  value: unknown;
  name?: string;
  formValue?: Record<string, unknown>;
  inputValue?: string;
  option?: string;
  options?: string[];
}

export interface CardEnv {
  /** Sends a tap and resolves with the bot's answer (the card shows its toast and new card). */
  act: (action: CardAction) => Promise<TapAnswer | undefined>;
  /** The bot's UTC offset as Feishu's pickers write it, e.g. `+0800`. */
  offset: string;
}

export const CardEnvContext = createContext<CardEnv>({ act: () => Promise.resolve(undefined), offset: '+0800' });

/** A form's values and required-field errors, shared by the controls inside it. */
export interface FormState {
  get: (name: string) => unknown;
  set: (name: string, value: unknown) => void;
  missing: Set<string>;
  /** Collects the form's values and sends them with the submit button's callback. */
  submit: (button: Json) => Promise<void>;
  reset: () => void;
}

export const FormContext = createContext<FormState | undefined>(undefined);
