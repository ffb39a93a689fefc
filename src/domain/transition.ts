/**
 * What every state machine of the mechanism answers to an action (a problem's lifecycle, a
 * document's approval, an approval chain, a 约谈): the next state and the line its history
 * records, or why not. `forbidden` tells a refusal that is not this person's to do (answered
 * as a permission error) from one they can fix (a missing comment, a date in the past).
 */
export type Transition<Next, Entry> =
  | { ok: true; next: Next; entry: Entry }
  | { ok: false; reason: string; forbidden: boolean };

/** The refusal half of Transition, for any machine. */
export type Refusal = Extract<Transition<unknown, unknown>, { ok: false }>;

export function allowed<Next, Entry>(next: Next, entry: Entry): { ok: true; next: Next; entry: Entry } {
  return { ok: true, next, entry };
}

export function refused(reason: string, forbidden: boolean): Refusal {
  return { ok: false, reason, forbidden };
}
