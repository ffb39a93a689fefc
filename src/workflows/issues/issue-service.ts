import { issueIdOfKey, messageKey, placeKey } from '../../domain/delivery/message-keys.js';
import { type Directory, type Person, personName, unitName } from '../../domain/directory/directory.js';
import { unitReachable, unreachableRefusal } from '../../domain/directory/reachability.js';
import {
  assignableUnits,
  issueActor,
  mayViewIssue,
  registrationSource,
  responsibleChief,
  supervisorsFor,
} from '../../domain/issues/involvement.js';
import {
  type Issue,
  type IssueCategory,
  type IssueSourceKind,
  numberPrefix,
  parseIssueRef,
  shortNumber,
  type Urgency,
} from '../../domain/issues/issue.js';
import {
  actionsForState,
  type HistoryEntry,
  type IssueAction,
  type IssueActor,
  refusalFor,
  STATE_NAMES,
  transition,
} from '../../domain/issues/lifecycle.js';
import { deadlineDay, deadlineFor, proposedDeadline } from '../../domain/issues/supervision.js';
import { shortDate } from '../../domain/time/format.js';
import { formatLocalDate, type LocalDate, toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { CopyRenderer } from '../card-copies.js';
import { notify, officeDestinations, personDestination, unitDestinations } from '../destinations.js';
import { md } from '../markdown.js';
import type { CardJson } from '../ports.js';
import { NOT_IN_DIRECTORY, requireDirectory, requirePerson } from '../require-directory.js';
import { sendClosingReport } from './closing-report.js';
import { deadlineText } from './deadline-text.js';
import { IssueCardCopies } from './issue-card-copies.js';
import type { IssueDeps } from './issue-deps.js';
import { type CardTime, issueCardRenderer } from './issue-view.js';
import { nextSupervisionAt, workCalendar } from './supervision-schedule.js';
import type { IssueActionType } from './views.js';

export const ALREADY_HANDLED = '该问题已被处理，卡片已刷新。';

/** A problem as a source hands it in (a patrol, a meeting decision, an inspection, a person's form). */
export type ReportInput = Pick<
  Issue,
  | 'waterBodyId'
  | 'townshipId'
  | 'place'
  | 'description'
  | 'category'
  | 'urgency'
  | 'source'
  | 'foundBy'
  | 'foundAt'
  | 'reportedBy'
> & {
  photos?: string[];
};

/** An action as a form submits it: days, not instants; unit ids as chosen. */
export type ActionInput =
  | { type: 'assign'; unit: string; department?: string; deadline: LocalDate; requirement: string }
  | { type: 'accept' }
  | { type: 'returnResponsibility'; reason: string }
  | { type: 'progress'; note: string }
  | { type: 'requestClose'; evidence: string }
  | { type: 'verifyPass' }
  | { type: 'verifyFail'; reason: string }
  | { type: 'requestExtension'; until: LocalDate; reason: string }
  | { type: 'approveExtension' }
  | { type: 'rejectExtension'; reason: string };

/**
 * What a thread reply carries: words, photos (`<message id>/<image key>`), or both at once
 * (a rich-text reply with inline pictures), recorded as one progress note.
 */
export interface ThreadContent {
  text: string;
  photos: string[];
}

/** What the recorder of a withdrawn patrol chose for a problem from it, if anything yet. */
function decisionOf(issue: Issue): 'kept' | 'withdrawn' | undefined {
  if (issue.state === 'withdrawn') return 'withdrawn';
  return issue.history.some((h) => h.action === 'confirm') ? 'kept' : undefined;
}

/** The note of a progress entry that is photos alone. */
const PHOTO_NOTE = '（照片）';

/** Tells the sender what was recorded: the words, the photos, or both as one entry. */
function progressAnswer(number: string, text: string, photos: number): string {
  if (!text) return `已将照片记入${number}问题的进展。`;
  return photos > 0 ? `已记为${number}问题的进展（附照片 ${photos} 张）。` : `已记为${number}问题的进展。`;
}

/**
 * Problems (问题): registration from every source, the card actions of the lifecycle
 * (分办、督办、跟踪落实、销号), progress by reply or command, and what each change tells whom.
 */
export class IssueService {
  private readonly copies: IssueCardCopies;

  constructor(private readonly deps: IssueDeps) {
    this.copies = new IssueCardCopies(deps.messenger, deps.issues, deps.clock);
  }

  /** Registers a problem and posts its card to the River Chief Office and the water body's chat. */
  async report(input: ReportInput): Promise<Issue> {
    const directory = await requireDirectory(this.deps.directory);
    return this.reportIn(directory, input);
  }

  /**
   * A patrol's problem lines become problems (巡河发现), once each: a correction that adds a
   * line registers only the new one.
   */
  async reportFromPatrol(patrol: {
    key: string;
    chiefId: string;
    recordedBy: string;
    waterBodyId?: string;
    patrolledAt: Date;
    problems: string[];
  }): Promise<Issue[]> {
    const directory = await requireDirectory(this.deps.directory);
    const known = new Set((await this.deps.issues.findBySource(patrol.key)).map((i) => i.description));
    const water = directory.waterBodies.find((w) => w.id === patrol.waterBodyId);
    const created: Issue[] = [];
    for (const line of patrol.problems) {
      if (known.has(line)) continue;
      known.add(line);
      created.push(
        await this.reportIn(directory, {
          waterBodyId: patrol.waterBodyId,
          townshipId: water?.townships.length === 1 ? water.townships[0] : undefined,
          place: '',
          description: line,
          category: '其他',
          urgency: 'normal',
          source: { kind: 'patrol', ref: patrol.key },
          foundBy: patrol.chiefId,
          foundAt: patrol.patrolledAt,
          reportedBy: patrol.recordedBy,
        }),
      );
    }
    return created;
  }

  /**
   * A patrol was withdrawn: the problems registered from it that are still open are listed to
   * whoever entered it, each to keep (a real problem stays real) or to withdraw. Nothing is
   * withdrawn without that person's choice. Sent once per patrol.
   */
  async offerWithdrawal(patrolKey: string): Promise<void> {
    const card = await this.withdrawalCard(patrolKey);
    if (!card) return;
    const directory = await requireDirectory(this.deps.directory);
    const patrol = await this.deps.patrols.findByKey(patrolKey);
    const to = personDestination(directory, patrol?.recordedBy);
    if (to)
      await notify(this.deps.messenger, [to], messageKey('patrolWithdrawnProblems', { patrolKey }), {
        kind: 'card',
        card,
      });
  }

  /** 撤销: the recorder of a withdrawn patrol finds a problem registered from it does not stand. */
  async withdrawFromPatrol(actorOpenId: string, issueId: string, version: number): Promise<CardJson> {
    return this.decideFromPatrol(actorOpenId, issueId, version, {
      type: 'withdraw',
      reason: '所依据的巡河记录已撤回，记录人确认问题不成立',
    });
  }

  /** 保留: the recorder of a withdrawn patrol confirms a problem registered from it is real. */
  async keepFromPatrol(actorOpenId: string, issueId: string, version: number): Promise<CardJson> {
    return this.decideFromPatrol(actorOpenId, issueId, version, {
      type: 'confirm',
      note: '所依据的巡河记录已撤回，记录人确认问题属实',
    });
  }

  private async decideFromPatrol(
    actorOpenId: string,
    issueId: string,
    version: number,
    action: IssueAction,
  ): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const issue = await this.load(issueId);
    const patrol =
      issue.source.kind === 'patrol' && issue.source.ref ? await this.deps.patrols.findByKey(issue.source.ref) : null;
    const actor = {
      ...issueActor(directory, person, issue),
      isWithdrawnPatrolRecorder: patrol?.status === 'withdrawn' && patrol.recordedBy === person.id,
    };
    const refusal = refusalFor(action.type, actor);
    if (refusal) throw new ForbiddenError(refusal);
    if (issue.version !== version || decisionOf(issue)) throw new StaleError('该问题已处理，卡片已刷新。');
    await this.apply(directory, person, issue, action, `patrol-withdrawn:${issue.id}`, [], actor);
    return (
      (await this.withdrawalCard(patrol?.key ?? '')) ??
      this.card(directory, await this.load(issueId), placeKey('dm', person.id))
    );
  }

  /** The withdrawn-patrol list a problem is on, as it now stands (a stale tap is answered with it). */
  async withdrawalCardOf(issueId: string): Promise<CardJson> {
    const issue = await this.load(issueId);
    return (
      (await this.withdrawalCard(issue.source.ref ?? '')) ??
      this.card(await requireDirectory(this.deps.directory), issue, undefined)
    );
  }

  /** The list of a withdrawn patrol's problems as they now stand, or undefined when it had none open. */
  async withdrawalCard(patrolKey: string): Promise<CardJson | undefined> {
    const directory = await requireDirectory(this.deps.directory);
    const patrol = await this.deps.patrols.findByKey(patrolKey);
    if (!patrol) return undefined;
    // Closed ones were settled before the withdrawal; those decided since stay listed with their outcome.
    const problems = (await this.deps.issues.findBySource(patrolKey)).filter((i) => i.state !== 'closed');
    if (problems.length === 0) return undefined;
    const water = directory.waterBodies.find((w) => w.id === patrol.waterBodyId)?.name;
    return this.deps.cards.withdrawnPatrolProblems({
      subject: [water ?? '全区', personName(directory, patrol.chiefId)].join(' · '),
      patrolDate: shortDate(patrol.patrolledAt, this.deps.timeZone),
      problems: problems.map((i) => ({
        id: i.id,
        version: i.version,
        shortNumber: shortNumber(i.seq),
        description: i.description,
        stateName: STATE_NAMES[i.state],
        decision: decisionOf(i),
      })),
    });
  }

  /**
   * A tracked item from a published document (a meeting's decision, a task of the four
   * lists): registered and assigned at once, on the authority of the approving chief, with
   * the tracking unit as supervisor (分办督办、跟踪落实). The chief hears of its closing (art. 5,
   * 8). Once per source ref: a repeat returns the problem already made.
   */
  async reportAssigned(
    input: ReportInput & { source: { kind: 'decision' | 'task' | 'inspection'; ref: string } },
    assignment: {
      unit: string;
      deadline: Date;
      requirement: string;
      trackerUnit?: string;
      department?: string;
      assignedBy: string;
    },
  ): Promise<Issue> {
    const directory = await requireDirectory(this.deps.directory);
    const existing = (await this.deps.issues.findBySource(input.source.ref))[0];
    if (existing && existing.state !== 'reported') return existing;
    const issue = existing ?? (await this.reportIn(directory, input, assignment.assignedBy));
    const by = directory.people.find((p) => p.id === assignment.assignedBy);
    if (!by) throw new UserInputError('审定人不在组织名录中');
    const supervisors = [
      ...new Set([
        assignment.trackerUnit,
        ...supervisorsFor(directory, issue.waterBodyId, assignment.department, assignment.unit),
      ]),
    ].filter((u): u is string => !!u && u !== assignment.unit);
    // The tracking unit assigns on the chief's authority: the office's permission, the chief's name.
    const actor = { ...issueActor(directory, by, issue), isOffice: true };
    const action: IssueAction = {
      type: 'assign',
      unit: assignment.unit,
      deadline: assignment.deadline,
      requirement: assignment.requirement,
      supervisors,
    };
    return (await this.apply(directory, by, issue, action, `assign:${input.source.ref}`, [], actor)).issue;
  }

  /** 登记问题: the form, for the office, liaison units and chiefs. */
  async registerForm(actorOpenId: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    this.registrant(directory, actorOpenId);
    return this.deps.cards.register({
      district: directory.district,
      waterOptions: directory.waterBodies.map((w) => ({ value: w.id, label: w.name })),
      townshipOptions: directory.units
        .filter((u) => u.kind === 'township')
        .map((u) => ({ value: u.id, label: u.name })),
    });
  }

  /** Registers from the form; the form turns into the problem's card. */
  async register(
    actorOpenId: string,
    form: {
      waterBodyId: string;
      townshipId?: string;
      place: string;
      description: string;
      category: IssueCategory;
      urgency: Urgency;
    },
    tappedMessageId?: string,
  ): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const water = directory.waterBodies.find((w) => w.id === form.waterBodyId);
    const { person, source } = this.registrant(directory, actorOpenId, water?.id);
    if (!water) throw new UserInputError('请选择河湖');
    if (form.townshipId && !water.townships.includes(form.townshipId)) {
      throw new UserInputError(`${water.name}不流经${unitName(directory, form.townshipId)}，请重新选择乡镇`);
    }
    const now = this.deps.clock.now();
    const issue = await this.reportIn(directory, {
      ...form,
      townshipId: form.townshipId ?? (water.townships.length === 1 ? water.townships[0] : undefined),
      source: { kind: source },
      foundBy: person.id,
      foundAt: now,
      reportedBy: person.id,
    });
    await this.copies.adopt(issue, tappedMessageId, person.id);
    return this.card(directory, issue, await this.copies.placeOfTapped(issue, tappedMessageId, person.id));
  }

  /** The card as it stands (返回, 查看问题); the tapped message becomes a copy kept up to date. */
  async view(actorOpenId: string, issueId: string, tappedMessageId?: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const issue = await this.load(issueId);
    const person = requirePerson(directory, actorOpenId);
    await this.copies.adopt(issue, tappedMessageId, person.id);
    return this.card(directory, issue, await this.copies.placeOfTapped(issue, tappedMessageId, person.id));
  }

  /** `/问题 0042`: the card with its history, for those involved. */
  async cardByRef(actorOpenId: string, ref: string): Promise<{ card: CardJson; issue: Issue }> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const issue = await this.byRef(ref);
    if (!mayViewIssue(directory, person, issue))
      throw new ForbiddenError('该问题与您无关，无法查看。如需了解，请联系区河长制办公室。');
    // A reply to the command, not a copy: it offers what the person who asked may do.
    return { card: this.card(directory, issue, placeKey('dm', person.id)), issue };
  }

  /** The form an action needs (交办, 申请销号 …), if this person may take it on this card. */
  async openForm(actorOpenId: string, issueId: string, version: number, type: IssueActionType): Promise<CardJson> {
    const { directory, issue, person } = await this.current(actorOpenId, issueId, version);
    if (!actionsForState(issue).includes(type)) throw new StaleError(ALREADY_HANDLED);
    const refusal = refusalFor(type, issueActor(directory, person, issue));
    if (refusal) throw new ForbiddenError(refusal);
    const assignable = assignableUnits(directory);
    return this.deps.cards.form({
      id: issue.id,
      version: issue.version,
      number: issue.number,
      action: type,
      summary: md`**问题**：${issue.description}${issue.deadline ? md`\n**整改期限**：${deadlineText(issue.deadline, this.deps.timeZone)}` : ''}`,
      proposedDate: formatLocalDate(this.proposedDate(directory, issue, type)),
      unitOptions: assignable.map((u) => ({ value: u.id, label: u.name })),
      departmentOptions: assignable.filter((u) => u.kind !== 'township').map((u) => ({ value: u.id, label: u.name })),
      returnWindowHours: directory.issues.returnWindowHours,
    });
  }

  /** The day the form's date picker starts on (see proposedDeadline). */
  private proposedDate(directory: Directory, issue: Issue, type: IssueActionType): LocalDate {
    const tz = this.deps.timeZone;
    const today = toLocal(this.deps.clock.now(), tz);
    const calendar = workCalendar(directory);
    const input =
      type === 'requestExtension'
        ? { kind: 'extension' as const, current: issue.deadline ? deadlineDay(issue.deadline, tz) : undefined }
        : { kind: 'assign' as const, urgency: issue.urgency };
    return proposedDeadline(input, today, directory.issues, calendar);
  }

  /**
   * Takes an action from a card on the version the card showed. Exactly one of two taps at
   * once applies; the other, and a tap on an outdated card, get ALREADY_HANDLED (the chat
   * layer answers with the fresh card). Returns the card as it now stands, for the tapped message's place.
   */
  async act(
    actorOpenId: string,
    issueId: string,
    version: number,
    input: ActionInput,
    dedupe: string,
    tappedMessageId?: string,
  ): Promise<CardJson> {
    const { directory, issue, person } = await this.current(actorOpenId, issueId, version);
    const { issue: updated, render } = await this.apply(
      directory,
      person,
      issue,
      this.toAction(directory, issue, input),
      dedupe,
    );
    return render(await this.copies.placeOfTapped(updated, tappedMessageId, person.id));
  }

  /**
   * `/进展 0042 内容`: a progress note from anywhere, with the photos typed into the same
   * rich-text message. Returns the acknowledgement.
   */
  async progressByRef(
    actorOpenId: string,
    ref: string,
    note: string,
    dedupe: string,
    photos: string[] = [],
  ): Promise<string> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    if (!note.trim() && photos.length === 0) throw new UserInputError('请写上进展内容，例如：/进展 0042 已清运一半');
    const issue = await this.byRef(ref);
    await this.apply(directory, person, issue, { type: 'progress', note: note.trim() || PHOTO_NOTE }, dedupe, photos);
    return progressAnswer(issue.number, note.trim(), photos.length);
  }

  /**
   * A reply in the thread of a problem's card (text or a photo) becomes a progress note.
   * Returns the acknowledgement, or undefined when the thread is not a problem's.
   */
  async progressFromThread(
    senderOpenId: string,
    rootMessageId: string,
    content: ThreadContent,
    dedupe: string,
  ): Promise<string | undefined> {
    const key = await this.deps.messenger.keyOfMessage(rootMessageId);
    const issueId = key ? issueIdOfKey(key) : undefined;
    if (!issueId) return undefined;
    const directory = await requireDirectory(this.deps.directory);
    const issue = await this.deps.issues.get(issueId);
    if (!issue) return undefined;
    const person = directory.people.find((p) => p.openId === senderOpenId);
    if (!person) return NOT_IN_DIRECTORY;
    const text = content.text.trim();
    try {
      await this.apply(
        directory,
        person,
        issue,
        { type: 'progress', note: text || PHOTO_NOTE },
        dedupe,
        content.photos,
      );
    } catch (error) {
      if (error instanceof ForbiddenError || error instanceof UserInputError) return error.userMessage;
      throw error;
    }
    return progressAnswer(issue.number, text, content.photos.length);
  }

  private async reportIn(directory: Directory, input: ReportInput, chiefId?: string): Promise<Issue> {
    const description = input.description.trim();
    if (!description) throw new UserInputError('请填写问题描述');
    const issue = await this.deps.issues.create(
      {
        ...input,
        description,
        place: input.place.trim(),
        photos: input.photos ?? [],
        chiefId: chiefId ?? responsibleChief(directory, input.waterBodyId, input.townshipId),
      },
      {
        prefix: numberPrefix(directory.district, directory.issues.numberPrefix),
        year: toLocal(input.foundAt, this.deps.timeZone).year,
      },
    );
    this.deps.logger.info({ issue: issue.id, seq: issue.seq, source: input.source.kind }, 'issue reported');
    const render = this.renderer(directory, issue);
    const water = directory.waterBodies.find((w) => w.id === issue.waterBodyId);
    const places = [...officeDestinations(directory)];
    if (water?.chatId) places.push({ to: { chatId: water.chatId }, place: placeKey('water', water.id) });
    for (const place of places) await this.copies.post(issue, place, render);
    return issue;
  }

  /** Applies one action for one person, saves it, refreshes every card copy and tells whom it concerns. */
  private async apply(
    directory: Directory,
    person: Person,
    issue: Issue,
    action: IssueAction,
    dedupe: string,
    photos: string[] = [],
    actor: IssueActor = issueActor(directory, person, issue),
  ): Promise<{ issue: Issue; render: CopyRenderer }> {
    const now = this.deps.clock.now();
    const result = transition(issue, action, actor, now, {
      returnWindowMs: directory.issues.returnWindowHours * 3_600_000,
    });
    if (!result.ok) throw result.forbidden ? new ForbiddenError(result.reason) : new UserInputError(result.reason);
    // The unit's name as it is today goes into the line, so a renamed unit does not rewrite it.
    const unitId = result.entry.facts?.unitId;
    const entry: HistoryEntry = unitId
      ? { ...result.entry, facts: { ...result.entry.facts, unitName: unitName(directory, unitId) } }
      : result.entry;
    let updated: Issue;
    if (action.type === 'progress') {
      // A retried message: recorded the first time.
      if (!(await this.deps.issues.addProgress(issue, entry, dedupe, photos)))
        return { issue, render: this.renderer(directory, issue) };
      updated = (await this.deps.issues.get(issue.id)) ?? issue;
    } else {
      const next = { ...result.next };
      const saved = await this.deps.issues.applyChange(issue, next, entry, {
        nextSupervisionAt: nextSupervisionAt(directory, next, now, this.deps.timeZone),
      });
      if (!saved) throw new StaleError(ALREADY_HANDLED);
      updated = {
        ...issue,
        ...next,
        closedAt: next.state === 'closed' ? now : undefined,
        history: [...issue.history, { ...entry, photos: [] }],
      };
    }
    this.deps.logger.info(
      { issue: issue.id, action: action.type, by: person.id, from: issue.state, to: updated.state },
      'issue changed',
    );
    // One state for every copy, the assignee's new copies and the tapped card; each offers its own place's buttons.
    const render = this.renderer(directory, updated);
    await this.copies.refresh(updated, render);
    await this.tell(directory, updated, entry, render);
    return { issue: updated, render };
  }

  /** Who hears of a change beyond the card updating in place. */
  private async tell(directory: Directory, issue: Issue, entry: HistoryEntry, render: CopyRenderer): Promise<void> {
    const no = `${issue.number}问题`;
    const key = messageKey('issueChange', { issueId: issue.id, version: issue.version, action: entry.action });
    const assignee = directory.units.find((u) => u.id === issue.assigneeUnit);
    const assigneeName = assignee?.name ?? '';
    const text = (t: string) => ({ kind: 'text' as const, text: t });
    const supervisors = issue.supervisorUnits.flatMap((u) =>
      unitDestinations(
        directory,
        directory.units.find((x) => x.id === u),
      ),
    );
    switch (entry.action) {
      case 'assign': {
        for (const place of [...unitDestinations(directory, assignee), ...supervisors])
          await this.copies.post(issue, place, render);
        return;
      }
      case 'returnResponsibility':
        return notify(
          this.deps.messenger,
          officeDestinations(directory),
          key,
          text(`${personName(directory, entry.by)}退回了${no}（${entry.note ?? ''}），请重新交办。`),
        );
      case 'requestClose':
        return notify(
          this.deps.messenger,
          [...officeDestinations(directory), ...supervisors],
          key,
          text(`${assigneeName}已申请${no}销号，请核查：${entry.note ?? ''}`),
        );
      case 'verifyFail':
        return notify(
          this.deps.messenger,
          unitDestinations(directory, assignee),
          key,
          text(`${no}核查未通过，已退回整改：${entry.note ?? ''}`),
        );
      case 'requestExtension':
        return notify(
          this.deps.messenger,
          officeDestinations(directory),
          key,
          text(
            `${assigneeName}申请将${no}的整改期限延至${issue.pendingExtension ? deadlineText(issue.pendingExtension.until, this.deps.timeZone) : ''}：${entry.note ?? ''}。请在问题卡片上审批。`,
          ),
        );
      case 'approveExtension':
        return notify(
          this.deps.messenger,
          unitDestinations(directory, assignee),
          key,
          text(
            `区河长制办公室已同意${no}延期，新的整改期限为${issue.deadline ? deadlineText(issue.deadline, this.deps.timeZone) : ''}。`,
          ),
        );
      case 'rejectExtension':
        return notify(
          this.deps.messenger,
          unitDestinations(directory, assignee),
          key,
          text(`区河长制办公室不同意${no}延期：${entry.note ?? ''}。请按原期限完成整改。`),
        );
      case 'verifyPass':
        return sendClosingReport(this.deps.messenger, this.deps.cards, directory, issue, this.cardTime());
      case 'withdraw': {
        // Whoever was working on it stops: the unit it was assigned to, its supervisors, the office.
        const from = directory.units.find((u) => u.id === entry.facts?.unitId);
        return notify(
          this.deps.messenger,
          [...officeDestinations(directory), ...unitDestinations(directory, from), ...supervisors],
          key,
          text(`${no}已撤销，无需再办理：${entry.note ?? ''}。`),
        );
      }
      default:
        return;
    }
  }

  private toAction(directory: Directory, issue: Issue, input: ActionInput): IssueAction {
    const tz = this.deps.timeZone;
    switch (input.type) {
      case 'assign': {
        const units = assignableUnits(directory);
        const unit = units.find((u) => u.id === input.unit);
        if (!unit) throw new UserInputError('请选择承办单位（乡镇或部门）');
        // Refused rather than recorded: a 交办 nobody receives would stand in the record as done.
        if (!unitReachable(directory, unit)) throw new UserInputError(unreachableRefusal(unit));
        if (input.department && !units.some((u) => u.id === input.department && u.kind !== 'township'))
          throw new UserInputError('请选择有效的行业主管部门');
        return {
          type: 'assign',
          unit: input.unit,
          deadline: deadlineFor(input.deadline, tz),
          requirement: input.requirement,
          supervisors: supervisorsFor(directory, issue.waterBodyId, input.department, input.unit),
        };
      }
      case 'requestExtension':
        return { type: 'requestExtension', until: deadlineFor(input.until, tz), reason: input.reason };
      default:
        return input;
    }
  }

  /** The problem as this person's card showed it, or the reason it cannot be acted on. */
  private async current(
    actorOpenId: string,
    issueId: string,
    version: number,
  ): Promise<{ directory: Directory; issue: Issue; person: Person }> {
    // Both reads are needed for every tap; in parallel they cost one round trip, not two.
    const [directory, issue] = await Promise.all([requireDirectory(this.deps.directory), this.load(issueId, version)]);
    const person = requirePerson(directory, actorOpenId);
    if (issue.version !== version) throw new StaleError(ALREADY_HANDLED);
    return { directory, issue, person };
  }

  /** Now, in the district's zone: what a card's days and 剩N天 are counted from. */
  private cardTime(): CardTime {
    return { now: this.deps.clock.now(), timeZone: this.deps.timeZone };
  }

  /** The problem's card for each place as it now stands. */
  private renderer(directory: Directory, issue: Issue): CopyRenderer {
    return issueCardRenderer(this.deps.cards, directory, issue, this.cardTime());
  }

  /** The card for one place; `dm:<person>` is what that person may do. */
  private card(directory: Directory, issue: Issue, place: string | undefined): CardJson {
    return this.renderer(directory, issue)(place);
  }

  private async load(issueId: string, version?: number): Promise<Issue> {
    const issue = await this.deps.issues.get(issueId, version);
    if (!issue) throw new UserInputError('找不到该问题，可能已被删除。');
    return issue;
  }

  private async byRef(ref: string): Promise<Issue> {
    const parsed = parseIssueRef(ref);
    if (!parsed) throw new UserInputError(`“${ref}”不是问题编号，请写成 0042 或 2026-0042 的样子`);
    const issue = await this.deps.issues.findByRef(parsed);
    if (!issue)
      throw new UserInputError(`没有找到${parsed.year ? `${parsed.year}年` : ''}第${shortNumber(parsed.seq)}号问题`);
    return issue;
  }

  /** Who registers, and the source the problem counts as on this water body (see registrationSource). */
  private registrant(
    directory: Directory,
    actorOpenId: string,
    waterBodyId?: string,
  ): { person: Person; source: IssueSourceKind } {
    const person = requirePerson(directory, actorOpenId);
    const source = registrationSource(directory, person, waterBodyId);
    if (!source) throw new ForbiddenError('只有区河长制办公室、联络员单位和河湖长可以登记问题。');
    return { person, source };
  }
}
