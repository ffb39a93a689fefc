import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, type Person, unitName } from '../../domain/directory/directory.js';
import { unitReachable, unreachableReason } from '../../domain/directory/reachability.js';
import {
  DOCUMENT_KIND_NAMES,
  type DocumentAction,
  type DocumentItem,
  documentActor,
  documentNumber,
  documentTransition,
  numberPrefixFor,
  type OfficialDocument,
  seriesOf,
  trackedItems,
} from '../../domain/documents/document.js';
import { decisionLineText, parseItemLine } from '../../domain/documents/item-line.js';
import type { DocumentLayout } from '../../domain/documents/layout.js';
import { assignableUnits } from '../../domain/issues/involvement.js';
import { deadlineDay, deadlineFor } from '../../domain/issues/supervision.js';
import type { Meeting } from '../../domain/meetings/meeting.js';
import { meetingTime } from '../../domain/time/format.js';
import { compareLocalDates, formatLocalDate, type LocalDate, toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentFields, DocumentStore } from '../../store/document-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import type { CopyRenderer } from '../card-copies.js';
import {
  type Destination,
  distinctPlaces,
  notify,
  officeDestinations,
  personDestination,
  unitDestinationsById,
  waterBodyDestination,
} from '../destinations.js';
import type { IssueService } from '../issues/issue-service.js';
import type { CardJson, Messenger } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import type { DocumentCopies } from './document-copies.js';
import { loadDocument, meetingOfDocument } from './document-lookup.js';
import { documentFileName, documentLayout } from './layouts.js';
import type { DocumentCardPresenter } from './views.js';

export interface DocumentServiceDeps {
  directory: DirectoryStore;
  documents: DocumentStore;
  meetings: MeetingStore;
  issues: IssueService;
  messenger: Messenger;
  cards: DocumentCardPresenter;
  /** The copies of each document's card, shared with the meeting workflows. */
  copies: DocumentCopies;
  /** Renders a layout as a .docx file. */
  renderDocx: (layout: DocumentLayout) => Promise<Buffer>;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export const DOCUMENT_ALREADY_HANDLED = '该文件已被处理，卡片已刷新。';

/** An item as a form or a line gives it: a day, not an instant. */
export interface ItemInput {
  n?: number;
  text: string;
  unitId?: string;
  deadline?: LocalDate;
}

/**
 * The approve-and-publish flow of minutes, plans, four lists and health reports (seed art.
 * 5, 8, 12, 13): the drafter records items (by form, thread reply or command), submits; the
 * approver approves (审定通过) or returns it with a comment (退回修改); on approval the
 * document is numbered and published in the name of 区总河长办公室, and every decision or task
 * becomes a tracked problem assigned to its unit.
 */
export class DocumentService {
  constructor(private readonly deps: DocumentServiceDeps) {}

  /** The card as it stands (a page of its items), for anyone in the directory; the tapped message becomes a copy. */
  async view(actorOpenId: string, id: string, tappedMessageId?: string, page?: number): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const doc = await loadDocument(this.deps.documents, id);
    await this.deps.copies.adopt(doc, tappedMessageId, person.id);
    const place = await this.deps.copies.placeOfTapped(doc, tappedMessageId, person.id);
    return (await this.deps.copies.renderer(directory, doc, undefined, page))(place);
  }

  /** The form to record a new item, or to complete or correct item `n`. */
  async itemForm(actorOpenId: string, id: string, version: number, n?: number): Promise<CardJson> {
    const { directory, doc } = await this.editable(actorOpenId, id, version);
    const item = n === undefined ? undefined : doc.items.find((i) => i.n === n);
    if (n !== undefined && !item) throw new StaleError(DOCUMENT_ALREADY_HANDLED);
    const today = toLocal(this.deps.clock.now(), this.deps.timeZone);
    return this.deps.cards.itemForm({
      id: doc.id,
      version: doc.version,
      title: doc.title,
      itemLabel: doc.kind === 'minutes' ? '议定事项' : '任务',
      n,
      text: item?.text ?? '',
      unit: item?.unitId,
      deadline: formatLocalDate(item?.deadline ? deadlineDay(item.deadline, this.deps.timeZone) : today),
      unitOptions: assignableUnits(directory).map((u) => ({ value: u.id, label: u.name })),
    });
  }

  /** Records a new item or replaces item `n`, from the form; answers with the card for the tapped message. */
  async saveItem(
    actorOpenId: string,
    id: string,
    version: number,
    input: ItemInput,
    tappedMessageId?: string,
  ): Promise<CardJson> {
    const { directory, doc, person } = await this.editable(actorOpenId, id, version);
    const item = this.checkedItem(directory, doc, input, input.n ?? this.nextN(doc));
    const items =
      input.n === undefined
        ? [...doc.items, item]
        : doc.items.map((i) => (i.n === input.n ? { ...item, list: i.list } : i));
    if (input.n !== undefined && !doc.items.some((i) => i.n === input.n))
      throw new StaleError(DOCUMENT_ALREADY_HANDLED);
    const { render } = await this.change(
      directory,
      person,
      doc,
      { type: 'edit' },
      { items },
      input.n === undefined ? `记录第${item.n}项` : `修改第${item.n}项`,
    );
    return render(await this.deps.copies.placeOfTapped(doc, tappedMessageId, person.id));
  }

  async removeItem(
    actorOpenId: string,
    id: string,
    version: number,
    n: number,
    tappedMessageId?: string,
  ): Promise<CardJson> {
    const { directory, doc, person } = await this.editable(actorOpenId, id, version);
    if (!doc.items.some((i) => i.n === n)) throw new StaleError(DOCUMENT_ALREADY_HANDLED);
    // Renumbered so the minutes read 一、二、三 without gaps.
    const items = doc.items.filter((i) => i.n !== n).map((i, k) => ({ ...i, n: k + 1 }));
    const { render } = await this.change(directory, person, doc, { type: 'edit' }, { items }, `删除第${n}项`);
    return render(await this.deps.copies.placeOfTapped(doc, tappedMessageId, person.id));
  }

  /**
   * Decisions written as text (`议定：…` replies in the card's thread, `/议定 …`): each line is
   * an item, its unit and deadline read from the words. Returns the answer for the person,
   * naming what is still missing.
   */
  async addLines(actorOpenId: string, id: string, lines: string[]): Promise<string> {
    const texts = lines.map((l) => l.trim()).filter(Boolean);
    if (texts.length === 0)
      throw new UserInputError('请写明议定事项，例如：议定：由永和镇负责，12月31日前完成滨河路段清淤');
    // Taken on the current version; a concurrent edit makes it try again on the next one.
    for (let attempt = 0; ; attempt++) {
      const directory = await requireDirectory(this.deps.directory);
      const person = requirePerson(directory, actorOpenId);
      const doc = await loadDocument(this.deps.documents, id);
      if ((await meetingOfDocument(this.deps.meetings, doc))?.state === 'cancelled')
        throw new UserInputError('会议已取消。');
      if (doc.kind !== 'minutes' && doc.kind !== 'fourLists')
        throw new UserInputError(`${DOCUMENT_KIND_NAMES[doc.kind]}请在表单中填写正文，或在卡片话题中上传文件。`);
      // Who may write and whether the meeting has begun come before what the words say.
      const check = documentTransition(
        doc,
        { type: 'edit' },
        documentActor(directory, person.id, doc),
        this.deps.clock.now(),
        await this.meetingStart(doc),
      );
      if (!check.ok) throw check.forbidden ? new ForbiddenError(check.reason) : new UserInputError(check.reason);
      const today = toLocal(this.deps.clock.now(), this.deps.timeZone);
      const units = assignableUnits(directory);
      const parsedLines = texts.map((line) => parseItemLine(line, units, today));
      // A date that cannot be the deadline is the writer's to fix; nothing is recorded meanwhile.
      const dateProblems = parsedLines.flatMap((p, k) =>
        p.deadlineProblem ? [texts.length > 1 ? `第${k + 1}行：${p.deadlineProblem}` : p.deadlineProblem] : [],
      );
      if (dateProblems.length > 0) throw new UserInputError(`${dateProblems.join('；')}。`);
      const added: DocumentItem[] = parsedLines.map((parsed, k) => {
        return {
          n: this.nextN(doc) + k,
          text: parsed.text,
          list: doc.kind === 'fourLists' ? 'tasks' : undefined,
          unitId: parsed.unitId,
          deadline: parsed.deadline ? deadlineFor(parsed.deadline, this.deps.timeZone) : undefined,
        };
      });
      try {
        await this.change(
          directory,
          person,
          doc,
          { type: 'edit' },
          { items: [...doc.items, ...added] },
          `记录第${added.map((i) => i.n).join('、')}项`,
        );
      } catch (error) {
        if (error instanceof StaleError && attempt < 3) continue;
        throw error;
      }
      const missing = added
        .filter((i) => !i.unitId || !i.deadline)
        .map(
          (i) =>
            `第${i.n}项缺少${!i.unitId && !i.deadline ? '责任单位和完成时限' : !i.unitId ? '责任单位' : '完成时限'}`,
        );
      return `已记录${added.length}项${doc.kind === 'minutes' ? '议定事项' : '任务'}（第${added.map((i) => i.n).join('、')}项）。${missing.length > 0 ? `${missing.join('；')}，请在卡片上点“补全”。` : ''}`;
    }
  }

  /**
   * `/议定 …`: decisions for the meeting whose card's thread it was typed in, else for the
   * latest meeting whose minutes the sender's unit is drafting.
   */
  async decide(actorOpenId: string, lines: string[], rootMessageId: string | undefined): Promise<string> {
    const inThread = rootMessageId ? await this.deps.copies.documentOfThread(rootMessageId) : undefined;
    let doc = inThread;
    if (!doc) {
      const directory = await requireDirectory(this.deps.directory);
      const person = requirePerson(directory, actorOpenId);
      const units = directory.units.filter((u) => u.members.includes(person.id)).map((u) => u.id);
      doc = await this.deps.documents.latestDraft('minutes', units);
      if (!doc)
        throw new UserInputError('您所在单位没有正在起草的会议纪要。请在会议卡片所在话题中回复，或先发送 /安排会议。');
    }
    const answer = await this.addLines(actorOpenId, doc.id, lines);
    return inThread ? answer : `《${doc.title}》：${answer}`;
  }

  /** A reply in the thread of a document's card, if it is one: decisions from 议定： lines. */
  async linesFromThread(actorOpenId: string, rootMessageId: string, text: string): Promise<string | undefined> {
    const lines = text
      .split('\n')
      .map(decisionLineText)
      .filter((l): l is string => l !== undefined);
    if (lines.length === 0) return undefined;
    const doc = await this.deps.copies.documentOfThread(rootMessageId);
    if (!doc) return undefined;
    return this.answer(() => this.addLines(actorOpenId, doc.id, lines));
  }

  /** A file sent in the thread of a draft's card is attached to it (a plan's text, a scan). */
  async attachFromThread(
    actorOpenId: string,
    rootMessageId: string,
    file: { messageId: string; fileKey: string; name: string },
  ): Promise<string | undefined> {
    const doc = await this.deps.copies.documentOfThread(rootMessageId);
    if (!doc) return undefined;
    return this.answer(async () => {
      const directory = await requireDirectory(this.deps.directory);
      const person = requirePerson(directory, actorOpenId);
      const attachment = { ...file, by: person.id, at: this.deps.clock.now() };
      if (doc.attachments.some((a) => a.messageId === file.messageId)) return `已附上文件“${file.name}”。`;
      await this.change(
        directory,
        person,
        doc,
        { type: 'edit' },
        { attachments: [...doc.attachments, attachment] },
        `附上文件：${file.name}`,
      );
      return `已将文件“${file.name}”附在${DOCUMENT_KIND_NAMES[doc.kind]}草稿中。`;
    });
  }

  /** 提交审定: the approver gets the card and the draft as a .docx. */
  async submit(actorOpenId: string, id: string, version: number, tappedMessageId?: string): Promise<CardJson> {
    const { directory, doc, person } = await this.current(actorOpenId, id, version);
    const now = this.deps.clock.now();
    const { doc: updated, render } = await this.change(
      directory,
      person,
      doc,
      { type: 'submit' },
      { submittedAt: now, lastReturn: undefined },
    );
    const approver = personDestination(directory, updated.approverId);
    if (approver) {
      await this.deps.copies.post(updated, approver, render);
      const meeting = await meetingOfDocument(this.deps.meetings, updated);
      await notify(
        this.deps.messenger,
        [approver],
        messageKey('documentSubmittedText', { documentId: updated.id, version: updated.version }),
        {
          kind: 'text',
          text: `${unitName(directory, updated.drafterUnit)}已提交《${updated.title}》，请您审定：在卡片上点“审定通过”，或写明意见后点“退回修改”。草稿见附件。`,
        },
      );
      await this.sendFile(
        directory,
        updated,
        meeting,
        [approver],
        messageKey('documentSubmittedFile', { documentId: updated.id, version: updated.version }),
      );
    }
    return render(await this.deps.copies.placeOfTapped(updated, tappedMessageId, person.id));
  }

  /** 退回修改: back to the drafter with the approver's comment. */
  async returnDraft(
    actorOpenId: string,
    id: string,
    version: number,
    comment: string,
    tappedMessageId?: string,
  ): Promise<CardJson> {
    const { directory, doc, person } = await this.current(actorOpenId, id, version);
    const now = this.deps.clock.now();
    const { doc: updated, render } = await this.change(
      directory,
      person,
      doc,
      { type: 'return', comment },
      { lastReturn: { by: person.id, at: now, comment: comment.trim() } },
    );
    await notify(
      this.deps.messenger,
      unitDestinationsById(directory, updated.drafterUnit),
      messageKey('documentReturned', { documentId: updated.id, version: updated.version }),
      {
        kind: 'text',
        text: `${person.name}退回了《${updated.title}》，修改意见：${comment.trim()}。请修改后在卡片上重新提交审定。`,
      },
    );
    return render(await this.deps.copies.placeOfTapped(updated, tappedMessageId, person.id));
  }

  /** 审定通过: numbered, published in the name of 区总河长办公室, items become tracked problems. */
  async approve(actorOpenId: string, id: string, version: number, tappedMessageId?: string): Promise<CardJson> {
    const { directory, doc, person } = await this.current(actorOpenId, id, version);
    // The approval is claimed first, so of two taps at once only one goes on to take a number.
    const { doc: approved } = await this.change(
      directory,
      person,
      doc,
      { type: 'approve' },
      { publishedAt: this.deps.clock.now(), pendingPublication: true },
    );
    const render = await this.finishPublication(directory, approved);
    return render(await this.deps.copies.placeOfTapped(approved, tappedMessageId, person.id));
  }

  /**
   * Everything publication does, each step once however often it runs (the sweep re-runs it
   * for a document whose publication was cut short): the number, the card and the file to
   * everyone concerned, then every decision or task as a tracked problem.
   */
  async finishPublication(directory: Directory, approved: OfficialDocument): Promise<CopyRenderer> {
    let doc = approved;
    if (!doc.number) {
      const series = seriesOf(doc.kind);
      const seq = await this.deps.documents.allocateNumber(doc.id, series, doc.year);
      doc = {
        ...doc,
        number: documentNumber(numberPrefixFor(series, directory.district, directory.meetings), doc.year, seq),
      };
      await this.deps.documents.setNumber(doc.id, doc.number ?? '');
    }
    const meeting = await meetingOfDocument(this.deps.meetings, doc);
    const places = distinctPlaces([
      ...(meeting?.participants ?? []).map((p) => personDestination(directory, p)),
      personDestination(directory, doc.approverId),
      ...unitDestinationsById(directory, doc.drafterUnit),
      ...unitDestinationsById(directory, doc.trackerUnit),
      ...unitDestinationsById(directory, directory.units.find((u) => u.kind === 'generalChiefOffice')?.id),
      ...officeDestinations(directory),
      waterBodyDestination(directory, doc.waterBodyId),
    ]);
    const tracked = await this.track(directory, doc, meeting?.startsAt);
    await this.tellUnreached(directory, tracked);
    const render = await this.deps.copies.renderer(directory, tracked, meeting);
    await this.deps.copies.refresh(tracked, render, 'published');
    for (const place of places) await this.deps.copies.post(tracked, place, render, 'published');
    await this.sendFile(
      directory,
      tracked,
      meeting,
      places,
      messageKey('documentPublishedFile', { documentId: doc.id }),
    );
    await this.deps.documents.publicationDone(doc.id);
    this.deps.logger.info(
      { document: doc.id, number: doc.number, items: trackedItems(doc).length },
      'document published',
    );
    return render;
  }

  /** Each decision or task becomes a problem assigned to its unit with its deadline. */
  private async track(
    directory: Directory,
    doc: OfficialDocument,
    foundAt: Date | undefined,
  ): Promise<OfficialDocument> {
    const items = [...doc.items];
    for (const [k, item] of items.entries()) {
      if (item.issueId || !trackedItems({ kind: doc.kind, items: [item] }).length || !item.unitId || !item.deadline)
        continue;
      const unit = directory.units.find((u) => u.id === item.unitId);
      const water = directory.waterBodies.find((w) => w.id === doc.waterBodyId);
      const issue = await this.deps.issues.reportAssigned(
        {
          waterBodyId: doc.waterBodyId,
          townshipId: unit?.kind === 'township' && water?.townships.includes(unit.id) ? unit.id : undefined,
          place: '',
          description: item.text,
          category: '其他',
          urgency: 'normal',
          source: { kind: doc.kind === 'minutes' ? 'decision' : 'task', ref: `doc:${doc.id}#${item.n}` },
          foundBy: doc.approverId,
          foundAt: foundAt ?? doc.publishedAt ?? this.deps.clock.now(),
          reportedBy: doc.createdBy,
        },
        {
          unit: item.unitId,
          deadline: item.deadline,
          requirement: `落实《${doc.title}》（${doc.number ?? ''}）第${item.n}项`,
          trackerUnit: doc.trackerUnit,
          assignedBy: doc.approverId,
        },
      );
      await this.deps.documents.linkItem(doc.id, item.n, issue.id);
      items[k] = { ...item, issueId: issue.id };
    }
    return { ...doc, items };
  }

  /**
   * Items assigned to a unit nothing reaches (no members, no chat) stand as assigned, as the
   * chief decided, but the units that assign and track them (art. 5, 8) and the River Chief
   * Office are told plainly that nobody received them, so they are delivered another way and
   * the directory is completed; /逾期 lists such units until then.
   */
  private async tellUnreached(directory: Directory, doc: OfficialDocument): Promise<void> {
    const lines = trackedItems(doc).flatMap((item) => {
      const unit = directory.units.find((u) => u.id === item.unitId);
      return unit && !unitReachable(directory, unit)
        ? [`第${item.n}项交办${unit.name}：${unreachableReason(unit)}`]
        : [];
    });
    if (lines.length === 0) return;
    await notify(
      this.deps.messenger,
      [...unitDestinationsById(directory, doc.trackerUnit), ...officeDestinations(directory)],
      messageKey('documentUnreached', { documentId: doc.id }),
      {
        kind: 'text',
        text: `《${doc.title}》已印发，但以下事项机器人无法送达，承办单位无人收到：\n${lines.join('\n')}\n请线下送达并跟踪；区河长制办公室在组织名录中为其填写成员或群聊 ID 后，督办提醒才能送到。`,
      },
    );
  }

  private async sendFile(
    directory: Directory,
    doc: OfficialDocument,
    meeting: Meeting | undefined,
    places: Destination[],
    key: string,
  ): Promise<void> {
    const data = await this.deps.renderDocx(documentLayout(directory, doc, meeting, this.deps.timeZone));
    await notify(this.deps.messenger, places, key, {
      kind: 'file',
      fileName: documentFileName(doc),
      fileType: 'doc',
      data,
    });
  }

  /** Applies one step for one person and saves it; every copy of the card then shows it. */
  private async change(
    directory: Directory,
    person: Person,
    doc: OfficialDocument,
    action: DocumentAction,
    fields: DocumentFields,
    note?: string,
  ): Promise<{ doc: OfficialDocument; render: CopyRenderer }> {
    const now = this.deps.clock.now();
    const meeting = await this.meetingStart(doc);
    const result = documentTransition(
      { ...doc, ...fields, state: doc.state, version: doc.version },
      action,
      documentActor(directory, person.id, doc),
      now,
      meeting,
    );
    if (!result.ok) throw result.forbidden ? new ForbiddenError(result.reason) : new UserInputError(result.reason);
    const entry = { ...result.entry, note: result.entry.note ?? note ?? null };
    const saved = await this.deps.documents.applyChange(doc, { ...fields, state: result.next.state }, entry);
    if (!saved) throw new StaleError(DOCUMENT_ALREADY_HANDLED);
    const updated: OfficialDocument = {
      ...doc,
      ...fields,
      state: result.next.state,
      version: result.next.version,
      history: [...doc.history, entry],
    };
    this.deps.logger.info(
      { document: doc.id, action: action.type, by: person.id, to: updated.state },
      'document changed',
    );
    const render = await this.deps.copies.renderer(directory, updated);
    await this.deps.copies.refresh(updated, render);
    return { doc: updated, render };
  }

  /** A document as this person's card showed it, or why it cannot be acted on. */
  private async current(
    actorOpenId: string,
    id: string,
    version: number,
  ): Promise<{ directory: Directory; doc: OfficialDocument; person: Person }> {
    const [directory, doc] = await Promise.all([
      requireDirectory(this.deps.directory),
      loadDocument(this.deps.documents, id),
    ]);
    const person = requirePerson(directory, actorOpenId);
    if (doc.version !== version) throw new StaleError(DOCUMENT_ALREADY_HANDLED);
    if ((await meetingOfDocument(this.deps.meetings, doc))?.state === 'cancelled')
      throw new UserInputError('会议已取消。');
    return { directory, doc, person };
  }

  /** As `current`, and the person may edit it now (a form is refused before it is filled in). */
  private async editable(
    actorOpenId: string,
    id: string,
    version: number,
  ): Promise<{ directory: Directory; doc: OfficialDocument; person: Person }> {
    const found = await this.current(actorOpenId, id, version);
    const check = documentTransition(
      found.doc,
      { type: 'edit' },
      documentActor(found.directory, found.person.id, found.doc),
      this.deps.clock.now(),
      await this.meetingStart(found.doc),
    );
    if (!check.ok) throw check.forbidden ? new ForbiddenError(check.reason) : new UserInputError(check.reason);
    return found;
  }

  /** The start of the meeting whose minutes these are, as the transition rules need it. */
  private async meetingStart(doc: OfficialDocument): Promise<{ startsAt: Date; when: string } | undefined> {
    const meeting = await meetingOfDocument(this.deps.meetings, doc);
    return meeting
      ? { startsAt: meeting.startsAt, when: meetingTime(meeting.startsAt, this.deps.timeZone) }
      : undefined;
  }

  private checkedItem(directory: Directory, doc: OfficialDocument, input: ItemInput, n: number): DocumentItem {
    const text = input.text.trim();
    if (!text) throw new UserInputError(`请填写${doc.kind === 'minutes' ? '议定事项' : '任务'}内容`);
    if (!input.unitId || !assignableUnits(directory).some((u) => u.id === input.unitId))
      throw new UserInputError('请选择责任单位');
    if (!input.deadline) throw new UserInputError('请选择完成时限');
    const today = toLocal(this.deps.clock.now(), this.deps.timeZone);
    if (compareLocalDates(input.deadline, today) < 0) throw new UserInputError('完成时限不能早于今天');
    return {
      n,
      text,
      unitId: input.unitId,
      deadline: deadlineFor(input.deadline, this.deps.timeZone),
      list: doc.kind === 'fourLists' ? 'tasks' : undefined,
    };
  }

  private nextN(doc: OfficialDocument): number {
    return doc.items.reduce((max, i) => Math.max(max, i.n), 0) + 1;
  }

  /** A refusal becomes the answer to the person instead of an error. */
  private async answer(work: () => Promise<string>): Promise<string> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ForbiddenError || error instanceof UserInputError || error instanceof StaleError)
        return error.userMessage;
      throw error;
    }
  }
}
