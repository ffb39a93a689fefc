import { createHash } from 'node:crypto';
import { z } from 'zod';
import { messageKey } from '../domain/delivery/message-keys.js';
import { parseLocalDate } from '../domain/time/zoned.js';
import { AppError, StaleError, UserInputError } from '../errors.js';
import {
  type ActionValue,
  ActionValueSchema,
  type Button,
  type ButtonCatalogue,
  type ValueOf,
} from '../feishu/cards/buttons/button.js';
import type { CardActionInput, CardActionResponse, EventContext } from '../feishu/inbound.js';
import { updatedDuring } from '../workflows/card-copies.js';
import type { CardJson, Messenger } from '../workflows/ports.js';
import { type Interaction, tapInteraction } from './interaction.js';
import { REPLIES } from './replies.js';

export { type ActionValue, ActionValueSchema } from '../feishu/cards/buttons/button.js';

/** Feishu's date picker gives `2026-11-28 +0800`; the day is what counts. */
export const PickedDaySchema = z
  .string()
  .transform((text) => parseLocalDate(text.trim().slice(0, 10)))
  .refine((day) => day !== undefined, '请选择日期');

/** A button's value as its schema says, or a polite refusal of a card that is too old or altered. */
export function cardValue<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UserInputError('卡片数据无效，请重新打开最新的卡片。', parsed.error.issues);
  return parsed.data;
}

/** A form's values as its schema says, or the first thing wrong, in Chinese. */
export function formOf<T>(schema: z.ZodType<T>, formValue: Record<string, unknown> | undefined): T {
  const parsed = schema.safeParse(formValue ?? {});
  if (!parsed.success)
    throw new UserInputError(parsed.error.issues[0]?.message ?? '表单内容不完整', parsed.error.issues);
  return parsed.data;
}

/** A tap that worked: a short success toast and the card as it now stands. */
export function done(content: string, card: Record<string, unknown>): TapAnswer {
  return { toast: { type: 'success', content }, card };
}

/**
 * Runs a tap; when it was on an outdated card or lost to a concurrent one, answers with the
 * polite warning and the card as it now stands instead.
 */
export async function refreshedOnStale(
  work: () => Promise<TapAnswer>,
  current: () => Promise<Record<string, unknown>>,
): Promise<TapAnswer> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleError)
      return { toast: { type: 'warning', content: error.userMessage }, card: await current() };
    throw error;
  }
}

/**
 * What a handler answers: a toast, the card as it now stands, or a form for the person who
 * tapped. A form is never put in place of the tapped card: Card JSON 2.0 cards are shared,
 * so in a group the form would become everyone's and the next member's tap would wipe it.
 */
export type TapAnswer = CardActionResponse & { form?: { card: CardJson; title: string } };

/** A handler bound by name alone, for tests of the transport; features declare buttons and `wire` them. */
export type CardActionHandler = (
  input: CardActionInput & { action: ActionValue },
  ctx: EventContext,
) => Promise<TapAnswer>;

/**
 * What a declared button does when tapped: its value as its schema parsed it, the tap (form
 * values, the tapped message, a picker's option) and the interaction (who, the event, a
 * logger, how to answer).
 */
export type ButtonHandler<V> = (value: V, tap: CardActionInput, ctx: Interaction) => Promise<TapAnswer>;

/**
 * A handler for every button of a catalogue, under the same names: a button declared without
 * a handler, or a handler for no declared button, does not compile. `once` marks a form's
 * submit that records something (see HandlerOptions).
 */
export type ButtonHandlers<C extends ButtonCatalogue> = {
  [K in keyof C]: ButtonHandler<ValueOf<C[K]>> | ({ run: ButtonHandler<ValueOf<C[K]>> } & HandlerOptions);
};

/** A form that opens in the tapper's own chat with the bot, named by its card's title. */
export function privateForm(card: CardJson): TapAnswer {
  const header = card.header as { title?: { content?: unknown } } | undefined;
  const title = typeof header?.title?.content === 'string' ? header.title.content : '表单';
  return { form: { card, title } };
}

const errorToast = (content: string): CardActionResponse => ({ toast: { type: 'error', content } });

/**
 * Where form submissions are claimed (ClaimStore): the first submission of a key does the
 * work and settles the claim with its answer; a repeat gets that answer.
 */
export interface FormSubmissions {
  begin(key: string, by: string): Promise<{ first: true } | { first: false; result?: string }>;
  settle(key: string, result: string): Promise<void>;
  release(key: string): Promise<void>;
}

export interface HandlerOptions {
  /**
   * The handler takes a form's submission and records something (a patrol, a problem, a
   * 交办): one filling of the form takes effect once. A double tap or a client retry arrives
   * as a new event with the same form message, button and values; it is told the form was
   * recorded and sees the card the first submission produced.
   */
  once?: boolean;
}

/** JSON with object keys sorted, so the same values always give the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * One filling of a form: forms open as their own message in the tapper's direct chat, so the
 * form message names the filling; the button's value and the form's values tell a repeat of
 * the same submission from a form re-shown in place with new values.
 */
function submissionKey(input: CardActionInput, messageId: string): string {
  const digest = createHash('sha256')
    .update(canonical({ by: input.operatorOpenId, value: input.value, form: input.formValue }))
    .digest('base64url');
  return messageKey('privateForm', { messageId, digest });
}

/**
 * Routes card callbacks to the handler named by the action value, and makes each outcome
 * reach people by a second road besides the callback answer:
 * - a form goes to the tapper's direct chat with the bot (a new message only they see);
 * - a card answered for a message the bot sent is also patched onto that message, so the
 *   change shows even if Feishu declines the answer's card (it does not retry an answer),
 *   unless the tap's work already updated that message as a copy of the card.
 */
export class CardActionRouter {
  private readonly handlers = new Map<string, CardActionHandler>();
  private readonly once = new Set<string>();
  /** The declared value schema of each wired button. */
  private readonly schemas = new Map<string, z.ZodType>();

  constructor(
    private readonly messenger: Messenger,
    private readonly submissions: FormSubmissions,
  ) {}

  /** Binds a handler to an action name alone; features use `wire`, which checks names and values. */
  register(name: string, handler: CardActionHandler, options: HandlerOptions = {}): this {
    if (this.handlers.has(name)) throw new Error(`card action ${name} is registered twice`);
    this.handlers.set(name, handler);
    if (options.once) this.once.add(name);
    return this;
  }

  /**
   * Binds every button a feature declares to its handler. The value is parsed by the button's
   * schema before the handler runs: a card too old or altered is refused politely.
   */
  wire<C extends ButtonCatalogue>(catalogue: C, handlers: ButtonHandlers<C>): this {
    for (const [key, declared] of Object.entries(catalogue) as Array<[keyof C & string, Button]>) {
      const bound = handlers[key] as ButtonHandler<unknown> | ({ run: ButtonHandler<unknown> } & HandlerOptions);
      const { run, ...options } = typeof bound === 'function' ? { run: bound } : bound;
      this.schemas.set(declared.name, declared.schema);
      this.register(
        declared.name,
        (input, ctx) => run(cardValue(declared.schema, input.value), input, tapInteraction(this.messenger, input, ctx)),
        options,
      );
    }
    return this;
  }

  /** Every registered action name. */
  names(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Whether a button value would reach a handler that takes it: `unknown` when no handler has
   * its name, `refused` when its button's schema does not accept it.
   */
  check(value: unknown): 'ok' | 'unknown' | 'refused' {
    const parsed = ActionValueSchema.safeParse(value);
    if (!parsed.success || !this.handlers.has(parsed.data.a)) return 'unknown';
    const schema = this.schemas.get(parsed.data.a);
    return !schema || schema.safeParse(value).success ? 'ok' : 'refused';
  }

  async handle(input: CardActionInput, ctx: EventContext): Promise<CardActionResponse> {
    const parsed = ActionValueSchema.safeParse(input.value);
    const handler = parsed.success ? this.handlers.get(parsed.data.a) : undefined;
    if (!parsed.success || !handler) {
      ctx.log.warn({ value: input.value }, 'card action not recognised');
      return errorToast(REPLIES.unknownAction);
    }
    const key =
      this.once.has(parsed.data.a) && input.formValue !== undefined && input.messageId
        ? submissionKey(input, input.messageId)
        : undefined;
    if (key) {
      const claim = await this.submissions.begin(key, input.operatorOpenId);
      if (!claim.first) {
        ctx.log.info({ action: parsed.data.a, recorded: claim.result !== undefined }, 'form submitted again');
        // The first submission's card, as it answered; it already patched the form message.
        if (claim.result === undefined) return { toast: { type: 'info', content: REPLIES.formBeingRecorded } };
        const { card } = JSON.parse(claim.result) as { card?: CardJson };
        return { toast: { type: 'info', content: REPLIES.formAlreadyRecorded }, ...(card && { card }) };
      }
    }
    try {
      const { result: answer, copies } = await updatedDuring(() => handler({ ...input, action: parsed.data }, ctx));
      if (key) {
        // Only what took effect is kept: a refusal or a stale card leaves the form open to another try.
        const refused = answer.toast?.type === 'error' || answer.toast?.type === 'warning';
        await (refused
          ? this.submissions.release(key)
          : this.submissions.settle(key, JSON.stringify({ card: answer.card })));
      }
      return await this.deliver(answer, input, ctx, copies);
    } catch (error) {
      if (key) await this.submissions.release(key);
      if (error instanceof AppError && error.isUserError) {
        ctx.log.info({ code: error.code, action: parsed.data.a }, 'card action refused');
        return errorToast(error.userMessage);
      }
      throw error;
    }
  }

  private async deliver(
    { form, ...answer }: TapAnswer,
    input: CardActionInput,
    ctx: EventContext,
    /** The card copies the tap's work updated, by key. */
    updated: ReadonlySet<string>,
  ): Promise<CardActionResponse> {
    if (form) {
      await this.messenger.send(
        messageKey('tapForm', { eventId: ctx.eventId }),
        { openId: input.operatorOpenId },
        { kind: 'card', card: form.card },
      );
      return { toast: { type: 'info', content: REPLIES.formSentPrivately(form.title) } };
    }
    if (answer.card && input.messageId) {
      const key = await this.messenger.keyOfMessage(input.messageId);
      // A copy the tap's work updated shows the change already, drawn for its place: one patch is enough.
      if (key !== undefined && !updated.has(key))
        await this.messenger.updateCard(messageKey('tapCard', { eventId: ctx.eventId }), input.messageId, answer.card);
    }
    return answer;
  }
}
