import { z } from 'zod';

/**
 * Every button carries a small versioned value, `{ "a": "issue.act", "id": "…", "v": 3, … }`:
 * `a` names the action, `id` the record, `v` the record version the card showed, so a stale
 * card can be refused. This is the wire shape every value shares; each button's declaration
 * says the rest. Cards already sent in chats carry values of this shape: it must not change.
 */
export const ActionValueSchema = z.looseObject({
  a: z.string().min(1).max(64),
  id: z.string().max(128).optional(),
  v: z.number().int().nonnegative().optional(),
});
export type ActionValue = z.infer<typeof ActionValueSchema>;

/**
 * One button, declared once: the action name it sends and the schema of its value. Presenters
 * build values only through `value`, so a misspelt name or field does not compile; the chat
 * layer binds a handler to every declaration of a catalogue (`CardActionRouter.handle`), so a
 * declared button without a handler does not compile either.
 */
export interface Button<N extends string = string, F extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: N;
  /** The whole value as it comes back, `a` included; fields it does not name are ignored. */
  readonly schema: z.ZodObject<{ a: z.ZodLiteral<N> } & F>;
  /** The value to put on a button: its fields, with the action name added. */
  value(fields: z.input<z.ZodObject<F>>): ActionValue;
}

/** Declares a button: `button('issue.view', { id: z.string() })`. */
export function button<const N extends string, F extends z.ZodRawShape = Record<never, never>>(
  name: N,
  fields: F = {} as F,
): Button<N, F> {
  const schema = z.object({ a: z.literal(name), ...fields }) as unknown as z.ZodObject<{ a: z.ZodLiteral<N> } & F>;
  return { name, schema, value: (f) => ({ a: name, ...(f as object) }) };
}

/** A feature's buttons, by the name its code uses for each. */
export type ButtonCatalogue = Record<string, Button<string, z.ZodRawShape>>;

/** The value a declared button's handler receives, parsed by its schema. */
export type ValueOf<B> = B extends Button<string, infer F> ? z.output<z.ZodObject<{ a: z.ZodString } & F>> : never;
