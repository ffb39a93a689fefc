import type { Approval } from '../../domain/approvals/approval.js';
import {
  APPROVAL_KIND_NAMES,
  type ApprovalKind,
  CHAINS,
  type ChainAction,
  chainTransition,
  DRAFT,
  maySee,
  STEP_NAMES,
  STEP_VERBS,
  stepActors,
} from '../../domain/approvals/chain.js';
import type { Clock } from '../../domain/clock.js';
import { isSentTo, messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, personName } from '../../domain/directory/directory.js';
import { documentNumber, numberPrefixFor } from '../../domain/documents/document.js';
import { approvalNudge } from '../../domain/meetings/meeting-settings.js';
import { fullDate } from '../../domain/time/format.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { ApprovalStore } from '../../store/approval-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import { updateDeliveredCards } from '../card-copies.js';
import {
  type Destination,
  distinctPlaces,
  notify,
  officeDestinations,
  personDestination,
  unitDestinations,
} from '../destinations.js';
import type { Markdown } from '../markdown.js';
import type { CardJson, Messenger, OutgoingFile } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import type { ApprovalCardPresenter, ApprovalView } from './views.js';

/** The refusal for someone outside the offices and the chain before publication. */
export const NOT_YET_PUBLISHED = '印发前，只有区河长制办公室、区总河长办公室和审批环节的办理人可以查看。';

/** A record past its last step without a number after this long was cut short. */
const PUBLICATION_GRACE_MS = 5 * 60_000;

export interface ApprovalDeps {
  directory: DirectoryStore;
  approvals: ApprovalStore;
  /** Numbers published notices in the 区总河长办公室 document series. */
  documents: DocumentStore;
  messenger: Messenger;
  cards: ApprovalCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

/** What each kind of record adds to the chain: its body, fresh content, its notice. */
export interface ApprovalContent<C = unknown> {
  kind: ApprovalKind;
  /** The card's body: what is under review. */
  body(directory: Directory, approval: Approval<C>): Markdown;
  /** Content recomputed from the records when 区河长制办公室 submits (the assessment); undefined keeps it. */
  refresh?(directory: Directory, approval: Approval<C>): Promise<C | undefined>;
  /** The published notice's text, and the files that go with it. */
  notice(directory: Directory, approval: Approval<C>): Promise<{ text: string; files: OutgoingFile[] }>;
  /** Buttons of its own (导出考核明细). */
  extras?(approval: Approval<C>): ApprovalView['extras'];
}

/**
 * Moves records along their approval chain (seed art. 16, 18, 19): each step's card goes to
 * the people who record it; a return with its comment goes back one step; the last step
 * numbers the notice and publishes it in 区总河长办公室's name to every township and
 * department. The first of two simultaneous taps counts; the other gets the card as it is.
 */
export class ApprovalService {
  private readonly contents = new Map<ApprovalKind, ApprovalContent>();

  constructor(private readonly deps: ApprovalDeps) {}

  register<C>(content: ApprovalContent<C>): void {
    this.contents.set(content.kind, content);
  }

  async card(actorOpenId: string, id: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const approval = await this.load(id);
    if (!maySee(directory, person.id, approval.kind, approval.position)) throw new ForbiddenError(NOT_YET_PUBLISHED);
    return this.deps.cards.approval(this.view(directory, approval));
  }

  /** The card as it stands, for callers that already checked who may see it. */
  cardOf(directory: Directory, approval: Approval): CardJson {
    return this.deps.cards.approval(this.view(directory, approval));
  }

  async submit(actorOpenId: string, id: string, version: number): Promise<CardJson> {
    return this.move(actorOpenId, id, version, { type: 'submit' });
  }

  async pass(actorOpenId: string, id: string, version: number): Promise<CardJson> {
    return this.move(actorOpenId, id, version, { type: 'pass' });
  }

  async return(actorOpenId: string, id: string, version: number, comment: string): Promise<CardJson> {
    return this.move(actorOpenId, id, version, { type: 'return', comment });
  }

  /**
   * The chain's reminders, run by a job: a publication cut short (a crash after the last
   * step) is finished, and whoever holds a step is reminded after every N working days
   * (the directory's `meetings.approvalRemindAfterDays`, as for minutes). Returns how many.
   */
  async sweep(now: Date): Promise<{ published: number; nudges: number }> {
    const outcome = { published: 0, nudges: 0 };
    const directory = await this.deps.directory.loadDirectory();
    if (!directory) return outcome;
    const calendar = new WorkCalendar({
      holidays: directory.calendar.holidays,
      makeUpWorkdays: directory.calendar.makeUpWorkdays,
    });
    for (const approval of await this.deps.approvals.inProgress()) {
      const chain = CHAINS[approval.kind];
      const since = approval.history.at(-1)?.at ?? approval.createdAt;
      if (approval.position >= chain.length) {
        if (now.getTime() - since.getTime() < PUBLICATION_GRACE_MS) continue;
        await this.publish(directory, approval);
        const card = this.deps.cards.approval(this.view(directory, (await this.deps.approvals.get(approval.id))!));
        await updateDeliveredCards(
          this.deps.messenger,
          await this.deps.approvals.cardKeys(approval.id),
          `v${approval.version}:published`,
          card,
        );
        outcome.published++;
        continue;
      }
      const nudge = approvalNudge(
        since,
        directory.meetings.approvalRemindAfterDays,
        calendar,
        directory.reminders.hour,
        now,
        this.deps.timeZone,
      );
      if (nudge === undefined) continue;
      const step = chain[approval.position]!;
      const text = `${APPROVAL_KIND_NAMES[approval.kind]}“${approval.title}”已于${fullDate(since, this.deps.timeZone)}送“${STEP_NAMES[step]}”，尚待办理。请在卡片上${STEP_VERBS[step]}，或写明意见退回。`;
      const places = this.actorPlaces(directory, step);
      // The reminder sends the step's holder to the card: one older than Feishu's 14-day window is sent afresh.
      const copies = (await this.deps.approvals.cardKeys(approval.id)).filter((k) =>
        places.some((d) => isSentTo(k, d.place)),
      );
      if (copies.length > 0)
        await updateDeliveredCards(
          this.deps.messenger,
          copies,
          `v${approval.version}:nudge:${nudge}`,
          this.deps.cards.approval(this.view(directory, approval)),
        );
      await notify(
        this.deps.messenger,
        places,
        messageKey('approvalNudge', { approvalId: approval.id, version: approval.version, nudge }),
        {
          kind: 'text',
          text,
        },
      );
      outcome.nudges++;
    }
    return outcome;
  }

  /** Sends the card to a place and remembers the copy, so later changes update it. */
  private async deliver(approval: Approval, directory: Directory, places: Destination[]): Promise<void> {
    const card = this.deps.cards.approval(this.view(directory, approval));
    for (const d of distinctPlaces(places)) {
      const key = messageKey('approvalCard', { approvalId: approval.id, version: approval.version, place: d.place });
      await this.deps.approvals.addCardKey(approval.id, key);
      await this.deps.messenger.send(key, d.to, { kind: 'card', card });
    }
  }

  private async move(actorOpenId: string, id: string, version: number, action: ChainAction): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const approval = await this.load(id);
    if (approval.version !== version) throw new StaleError('卡片已过期，已刷新为最新内容。');
    const moved = chainTransition(directory, approval.kind, approval.position, action, person.id);
    if (!moved.ok) throw moved.forbidden ? new ForbiddenError(moved.reason) : new UserInputError(moved.reason);
    const next = { position: moved.next };
    const { step, comment } = moved.entry;
    const chain = CHAINS[approval.kind];
    const now = this.deps.clock.now();
    const content =
      action.type === 'submit' ? await this.content(approval.kind).refresh?.(directory, approval) : undefined;
    const saved = await this.deps.approvals.move(approval, {
      position: next.position,
      line: { at: now, by: person.id, action: action.type, step, comment },
      content,
      lastReturn:
        action.type === 'return' && step
          ? { by: person.id, at: now, comment: comment ?? '', step }
          : action.type === 'submit'
            ? null
            : undefined,
    });
    if (!saved) throw new StaleError('刚被他人办理，卡片已刷新。');
    this.deps.logger.info(
      { approval: id, action: action.type, from: approval.position, to: next.position, by: person.id },
      'approval moved',
    );
    let current = (await this.deps.approvals.get(id))!;
    if (next.position >= chain.length) current = await this.publish(directory, current);

    const card = this.deps.cards.approval(this.view(directory, current));
    await updateDeliveredCards(
      this.deps.messenger,
      await this.deps.approvals.cardKeys(id),
      `v${current.version}`,
      card,
    );
    if (next.position < chain.length) {
      // Back to the office while it drafts, else to whoever holds the next step (told why, on a return).
      const to =
        next.position === DRAFT ? officeDestinations(directory) : this.actorPlaces(directory, chain[next.position]!);
      await this.deliver(current, directory, to);
      if (action.type === 'return') {
        const text = `${APPROVAL_KIND_NAMES[approval.kind]}“${approval.title}”在“${STEP_NAMES[step!]}”环节被退回：${comment}`;
        await notify(
          this.deps.messenger,
          to,
          messageKey('approvalReturned', { approvalId: id, version: current.version }),
          { kind: 'text', text },
        );
      }
    }
    return card;
  }

  /** Numbers the notice (once) and sends it, with its files, to every unit, both offices and the general chief. */
  private async publish(directory: Directory, approval: Approval): Promise<Approval> {
    const now = this.deps.clock.now();
    // Numbered in the year it is published (the 2026 assessment is published in 2027).
    const year = toLocal(now, this.deps.timeZone).year;
    const seq = await this.deps.documents.allocateNumber(approval.id, 'documents', year);
    await this.deps.approvals.setPublished(
      approval.id,
      documentNumber(numberPrefixFor('documents', directory.district, directory.meetings), year, seq),
      now,
    );
    const published = (await this.deps.approvals.get(approval.id))!;
    const { text, files } = await this.content(published.kind).notice(directory, published);
    const places = distinctPlaces([
      ...directory.units.flatMap((u) => unitDestinations(directory, u)),
      personDestination(directory, directory.generalChief),
    ]);
    const heading = `${published.number ?? ''}\n${text}`;
    await notify(this.deps.messenger, places, messageKey('approvalNotice', { approvalId: approval.id }), {
      kind: 'text',
      text: heading,
    });
    for (const [i, file] of files.entries())
      await notify(
        this.deps.messenger,
        places,
        messageKey('approvalNoticeFile', { approvalId: approval.id, index: i }),
        file,
      );
    this.deps.logger.info(
      { approval: approval.id, number: published.number, places: places.length },
      'approval published',
    );
    return published;
  }

  private actorPlaces(directory: Directory, step: Parameters<typeof stepActors>[1]): Destination[] {
    return distinctPlaces(stepActors(directory, step).map((id) => personDestination(directory, id)));
  }

  private view(directory: Directory, approval: Approval): ApprovalView {
    const tz = this.deps.timeZone;
    const chain = CHAINS[approval.kind];
    const content = this.content(approval.kind);
    const published = approval.position >= chain.length;
    const step = approval.position >= 0 && !published ? chain[approval.position] : undefined;
    const lastPass = (i: number) =>
      [...approval.history].reverse().find((h) => h.action === 'pass' && h.step === chain[i]);
    return {
      id: approval.id,
      version: approval.version,
      kindName: APPROVAL_KIND_NAMES[approval.kind],
      title: approval.title,
      subtitle: published
        ? `${approval.number ?? ''}（${approval.publishedAt ? fullDate(approval.publishedAt, tz) : ''}印发）`
        : step
          ? `待${STEP_NAMES[step]}`
          : '区河长制办公室起草中',
      body: content.body(directory, approval),
      steps: chain.map((s, i) => {
        const passed = i < approval.position ? lastPass(i) : undefined;
        return {
          name: STEP_NAMES[s],
          state:
            i < approval.position
              ? ('done' as const)
              : i === approval.position
                ? ('current' as const)
                : ('todo' as const),
          note: passed
            ? `${personName(directory, passed.by)} ${fullDate(passed.at, tz)}`
            : i === approval.position
              ? stepActors(directory, s)
                  .map((p) => personName(directory, p))
                  .join('、')
              : undefined,
        };
      }),
      lastReturn:
        approval.lastReturn && !published
          ? {
              byName: personName(directory, approval.lastReturn.by),
              on: fullDate(approval.lastReturn.at, tz),
              stepName: STEP_NAMES[approval.lastReturn.step],
              comment: approval.lastReturn.comment,
            }
          : undefined,
      canSubmit: approval.position === DRAFT,
      passLabel: step ? STEP_VERBS[step] : undefined,
      canReturn: !!step && step !== 'publish',
      published,
      extras: content.extras?.(approval) ?? [],
      footer: published
        ? `已以区总河长办公室名义通报全区各乡镇、各部门。`
        : approval.position === DRAFT
          ? '区河长制办公室核对后点击“提交审核”。'
          : `由${stepActors(directory, step!)
              .map((p) => personName(directory, p))
              .join('、')}办理；退回须写明意见，退回上一环节。`,
    };
  }

  private content(kind: ApprovalKind): ApprovalContent {
    const content = this.contents.get(kind);
    if (!content) throw new Error(`no approval content registered for ${kind}`);
    return content;
  }

  private async load(id: string): Promise<Approval> {
    const approval = await this.deps.approvals.get(id);
    if (!approval) throw new UserInputError('找不到该记录，可能已被删除。');
    return approval;
  }
}
