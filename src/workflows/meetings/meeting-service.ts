import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, type Person, unitName, type WaterBody } from '../../domain/directory/directory.js';
import {
  DOCUMENT_KIND_NAMES,
  type DocumentItem,
  type DocumentKind,
  LIST_NAMES,
  type ListName,
  type OfficialDocument,
} from '../../domain/documents/document.js';
import { parseItemLine } from '../../domain/documents/item-line.js';
import { assignableUnits } from '../../domain/issues/involvement.js';
import { deadlineFor } from '../../domain/issues/supervision.js';
import {
  jointParties,
  MEETING_KIND_NAMES,
  MEETING_KINDS,
  type Meeting,
  type MeetingKind,
  mayScheduleMeeting,
  meetingRoles,
  needsWaterBody,
  nextConvener,
} from '../../domain/meetings/meeting.js';
import { meetingStart } from '../../domain/meetings/meeting-settings.js';
import { meetingTime } from '../../domain/time/format.js';
import { formatLocalDate, type LocalDate, toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { ClaimStore } from '../../store/claim-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import {
  distinctPlaces,
  notify,
  personDestination,
  unitDestinationsById,
  waterBodyDestination,
} from '../destinations.js';
import type { DocumentCopies } from '../documents/document-copies.js';
import { loadDocument, meetingOfDocument } from '../documents/document-lookup.js';
import type { DocumentCardPresenter } from '../documents/views.js';
import type { CardJson, Messenger } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';

export interface MeetingServiceDeps {
  directory: DirectoryStore;
  documents: DocumentStore;
  meetings: MeetingStore;
  claims: ClaimStore;
  messenger: Messenger;
  cards: DocumentCardPresenter;
  /** The copies of each document's card, shared with the document workflows. */
  copies: DocumentCopies;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export interface ScheduleInput {
  kind: MeetingKind;
  waterBodyId?: string;
  title?: string;
  day: LocalDate;
  time: string;
  place: string;
  /** Units whose members are invited. */
  units: string[];
  /** People invited by open_id (from the person picker). */
  people: string[];
}

export interface DraftInput {
  goals?: string;
  problems?: string;
  tasks?: string;
  responsibilities?: string;
  body?: string;
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*(\d+[.、．]|[-•·])\s*/, '').trim())
    .filter(Boolean);

/**
 * Scheduling meetings (art. 5, 7, 8, 10) and starting the documents of art. 12–13. A meeting
 * is created with its minutes, whose card is the meeting's card: participants get it, and the
 * drafter records decisions on it.
 */
export class MeetingService {
  constructor(private readonly deps: MeetingServiceDeps) {}

  /** The scheduling form, for those who organise meetings. */
  async scheduleForm(actorOpenId: string, kind?: MeetingKind): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const kinds = MEETING_KINDS.filter((k) => this.mayOrganiseSome(directory, person, k));
    if (kinds.length === 0) throw new ForbiddenError('只有区总河长办公室、区河长制办公室和联络员单位可以安排会议。');
    return this.deps.cards.scheduleForm({
      kind,
      kindOptions: kinds.map((k) => ({ value: k, label: MEETING_KIND_NAMES[k] })),
      waterOptions: directory.waterBodies.map((w) => ({ value: w.id, label: w.name })),
      unitOptions: directory.units.map((u) => ({ value: u.id, label: u.name })),
      personOpenIds: directory.people.flatMap((p) => (p.openId ? [p.openId] : [])),
      today: formatLocalDate(toLocal(this.deps.clock.now(), this.deps.timeZone)),
    });
  }

  /** Schedules a meeting: its minutes are opened and its card goes to every participant. */
  async schedule(actorOpenId: string, input: ScheduleInput, tappedMessageId?: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const kindName = MEETING_KIND_NAMES[input.kind];
    const water = needsWaterBody(input.kind)
      ? directory.waterBodies.find((w) => w.id === input.waterBodyId)
      : undefined;
    const roles = meetingRoles(directory, input.kind, water?.id);
    if ('refusal' in roles) throw new UserInputError(roles.refusal);
    if (!mayScheduleMeeting(directory, person.id, roles)) {
      throw new ForbiddenError(`只有${unitName(directory, roles.organiserUnit)}或区河长制办公室可以安排${kindName}。`);
    }
    const startsAt = meetingStart(input.day, input.time, this.deps.timeZone);
    if (!startsAt) throw new UserInputError('请填写会议时间，例如 09:30');
    const now = this.deps.clock.now();
    if (startsAt.getTime() <= now.getTime()) throw new UserInputError('会议时间须晚于现在。');
    const place = input.place.trim();
    if (!place) throw new UserInputError('请填写会议地点');

    const byOpenId = new Map(directory.people.filter((p) => p.openId).map((p) => [p.openId, p.id]));
    const invited = [
      roles.approverId,
      ...(directory.units.find((u) => u.id === roles.organiserUnit)?.members ?? []),
      ...input.units.flatMap((id) => directory.units.find((u) => u.id === id)?.members ?? []),
      ...input.people.map((openId) => byOpenId.get(openId)).filter((id): id is string => !!id),
    ];
    const year = toLocal(startsAt, this.deps.timeZone).year;
    const convener =
      water && input.kind === 'jointMeeting'
        ? nextConvener(
            jointParties(directory, water.id),
            (await this.deps.meetings.lastJointMeeting(water.id))?.convener,
          )
        : undefined;
    const title =
      input.title?.trim() ||
      `${input.kind === 'generalChiefMeeting' ? `${year}年` : ''}${water?.name ?? ''}${kindName}`;
    const meeting: Meeting = {
      id: randomUUID(),
      kind: input.kind,
      title,
      waterBodyId: water?.id,
      startsAt,
      place,
      participants: [...new Set(invited)],
      convener,
      organiserUnit: roles.organiserUnit,
      minutesId: randomUUID(),
      state: 'scheduled',
      version: 1,
      createdBy: person.id,
      createdAt: now,
    };
    const minutes = this.newDocument({
      id: meeting.minutesId,
      kind: 'minutes',
      title: `${title}纪要`,
      year,
      water,
      meetingId: meeting.id,
      person,
      roles,
      items: [],
    });
    await this.deps.documents.create(minutes);
    await this.deps.meetings.create(meeting, year);
    this.deps.logger.info({ meeting: meeting.id, kind: meeting.kind, by: person.id }, 'meeting scheduled');
    await this.deps.copies.adopt(minutes, tappedMessageId, person.id);
    // The drafting unit gets the minutes to record decisions on; attendees and the water body's chat a 会议通知.
    const render = await this.deps.copies.renderer(directory, minutes, meeting);
    const places = distinctPlaces([
      ...meeting.participants.map((p) => personDestination(directory, p)),
      ...unitDestinationsById(directory, roles.drafterUnit),
      waterBodyDestination(directory, water?.id),
    ]);
    for (const place of places) await this.deps.copies.post(minutes, place, render);
    return render(await this.deps.copies.placeOfTapped(minutes, tappedMessageId, person.id));
  }

  /**
   * 取消会议, before it starts, by its organisers or the River Chief Office: participants are
   * told, the card stops offering actions, reminders stop.
   */
  async cancel(actorOpenId: string, minutesId: string, tappedMessageId?: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const doc = await loadDocument(this.deps.documents, minutesId);
    const meeting = await meetingOfDocument(this.deps.meetings, doc);
    if (!meeting) throw new UserInputError('找不到该会议。');
    const roles = meetingRoles(directory, meeting.kind, meeting.waterBodyId);
    if (
      'refusal' in roles ||
      !mayScheduleMeeting(directory, person.id, { ...roles, organiserUnit: meeting.organiserUnit })
    ) {
      throw new ForbiddenError(`只有${unitName(directory, meeting.organiserUnit)}或区河长制办公室可以取消会议。`);
    }
    if (meeting.state === 'cancelled') throw new StaleError('会议已取消，卡片已刷新。');
    if (meeting.startsAt.getTime() <= this.deps.clock.now().getTime())
      throw new UserInputError('会议已经开始，不能取消。');
    if (doc.state !== 'drafting') throw new UserInputError('纪要已提交审定，不能取消会议。');
    if (!(await this.deps.claims.claim(`meeting:${meeting.id}:cancel`, person.id)))
      throw new StaleError('会议已取消，卡片已刷新。');
    await this.deps.meetings.cancel(meeting.id);
    const cancelled = { ...meeting, state: 'cancelled' as const };
    this.deps.logger.info({ meeting: meeting.id, by: person.id }, 'meeting cancelled');
    const render = await this.deps.copies.renderer(directory, doc, cancelled);
    await this.deps.copies.refresh(doc, render);
    await notify(
      this.deps.messenger,
      distinctPlaces(meeting.participants.map((p) => personDestination(directory, p))),
      messageKey('meetingCancelled', { meetingId: meeting.id }),
      {
        kind: 'text',
        text: `原定${meetingTime(meeting.startsAt, this.deps.timeZone)}召开的${meeting.title}已取消。`,
      },
    );
    return render(await this.deps.copies.placeOfTapped(doc, tappedMessageId, person.id));
  }

  /** The form for a plan, the four lists or a health report of a water body. */
  async draftForm(actorOpenId: string, kind: Exclude<DocumentKind, 'minutes'>, waterRef: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const water = this.findWater(directory, waterRef);
    this.draftRoles(directory, person, kind, water);
    return this.deps.cards.draftForm({
      kind,
      waterBodyId: water.id,
      waterBodyName: water.name,
      year: toLocal(this.deps.clock.now(), this.deps.timeZone).year,
    });
  }

  /** Starts the draft from the form; its card goes to the drafting unit and the office. */
  async createDraft(
    actorOpenId: string,
    kind: Exclude<DocumentKind, 'minutes'>,
    waterBodyId: string,
    input: DraftInput,
    tappedMessageId?: string,
  ): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const water = directory.waterBodies.find((w) => w.id === waterBodyId);
    if (!water) throw new UserInputError('请选择河湖');
    const roles = this.draftRoles(directory, person, kind, water);
    const today = toLocal(this.deps.clock.now(), this.deps.timeZone);
    const units = assignableUnits(directory);
    const items: DocumentItem[] = [];
    const lists: ListName[] = kind === 'fourLists' ? ['goals', 'problems', 'tasks', 'responsibilities'] : [];
    for (const list of lists) {
      for (const line of lines(input[list])) {
        const parsed = parseItemLine(line, units, today);
        if (list === 'tasks' && parsed.deadlineProblem)
          throw new UserInputError(`${LIST_NAMES[list]}“${parsed.text}”：${parsed.deadlineProblem}。`);
        items.push({
          n: items.length + 1,
          text: parsed.text,
          list,
          ...(list === 'tasks'
            ? {
                unitId: parsed.unitId,
                deadline: parsed.deadline ? deadlineFor(parsed.deadline, this.deps.timeZone) : undefined,
              }
            : {}),
        });
      }
    }
    const body = (input.body ?? '').trim();
    if (kind === 'fourLists' ? items.length === 0 : !body)
      throw new UserInputError(
        kind === 'fourLists' ? '请至少填写一张清单' : '请填写正文，或先建草稿再在卡片话题中上传文件',
      );
    const titles: Record<typeof kind, string> = {
      fourLists: `${water.name}${today.year}年度河湖长制工作“四张清单”`,
      waterBodyPlan: `${water.name}“一河（湖）一策”管理保护方案`,
      healthReport: `${water.name}${today.year}年度健康评价报告`,
    };
    const doc = this.newDocument({ kind, title: titles[kind], year: today.year, water, person, roles, items, body });
    await this.deps.documents.create(doc);
    this.deps.logger.info({ document: doc.id, kind, by: person.id }, 'document drafted');
    await this.deps.copies.adopt(doc, tappedMessageId, person.id);
    const render = await this.deps.copies.renderer(directory, doc);
    for (const place of distinctPlaces([
      ...unitDestinationsById(directory, roles.drafterUnit),
      ...unitDestinationsById(directory, directory.units.find((u) => u.kind === 'riverChiefOffice')?.id),
    ])) {
      await this.deps.copies.post(doc, place, render);
    }
    return render(await this.deps.copies.placeOfTapped(doc, tappedMessageId, person.id));
  }

  /** A water body by id, or by any unique part of its name. */
  findWater(directory: Directory, ref: string): WaterBody {
    const text = ref.trim();
    if (!text) throw new UserInputError(`请写明河湖名称，例如：${directory.waterBodies[0]?.name ?? '大渡河'}`);
    const exact = directory.waterBodies.find((w) => w.id === text || w.name === text);
    if (exact) return exact;
    const matches = directory.waterBodies.filter((w) => w.name.includes(text));
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length > 1)
      throw new UserInputError(`“${text}”对应多条河湖：${matches.map((w) => w.name).join('、')}，请写全称`);
    throw new UserInputError(`没有找到河湖“${text}”`);
  }

  /** Who drafts, approves and tracks a water body's document (art. 12–13), if this person may start it. */
  private draftRoles(directory: Directory, person: Person, kind: Exclude<DocumentKind, 'minutes'>, water: WaterBody) {
    if (!water.districtChief || !water.liaisonUnit)
      throw new UserInputError(`${water.name}没有区级河湖长及联络员单位，无需编制${DOCUMENT_KIND_NAMES[kind]}。`);
    if (kind === 'healthReport' && !water.crossBoundary)
      throw new UserInputError('健康评价报告只针对跨界的区级主要河流。');
    const office = directory.units.find((u) => u.kind === 'riverChiefOffice');
    // Art. 12: the liaison unit drafts; art. 13: the River Chief Office drafts with the liaison unit.
    const drafterUnit = kind === 'healthReport' ? (office?.id ?? water.liaisonUnit) : water.liaisonUnit;
    const mayDraft = directory.units.some(
      (u) =>
        (u.id === drafterUnit || u.id === water.liaisonUnit || u.kind === 'riverChiefOffice') &&
        u.members.includes(person.id),
    );
    if (!mayDraft)
      throw new ForbiddenError(`${DOCUMENT_KIND_NAMES[kind]}由${unitName(directory, drafterUnit)}起草，您不能发起。`);
    return { drafterUnit, approverId: water.districtChief, trackerUnit: water.liaisonUnit };
  }

  private mayOrganiseSome(directory: Directory, person: Person, kind: MeetingKind): boolean {
    const waters = needsWaterBody(kind) ? directory.waterBodies.map((w) => w.id) : [undefined];
    return waters.some((w) => {
      const roles = meetingRoles(directory, kind, w);
      return !('refusal' in roles) && mayScheduleMeeting(directory, person.id, roles);
    });
  }

  private newDocument(input: {
    /** Given for minutes, whose meeting names them before they exist. */
    id?: string;
    kind: DocumentKind;
    title: string;
    year: number;
    water: WaterBody | undefined;
    meetingId?: string;
    person: Person;
    roles: { drafterUnit: string; approverId: string; trackerUnit: string };
    items: DocumentItem[];
    body?: string;
  }): OfficialDocument {
    const now = this.deps.clock.now();
    return {
      id: input.id ?? randomUUID(),
      kind: input.kind,
      title: input.title,
      year: input.year,
      waterBodyId: input.water?.id,
      meetingId: input.meetingId,
      state: 'drafting',
      version: 1,
      drafterUnit: input.roles.drafterUnit,
      approverId: input.roles.approverId,
      trackerUnit: input.roles.trackerUnit,
      items: input.items,
      body: input.body ?? '',
      attachments: [],
      createdBy: input.person.id,
      createdAt: now,
      history: [{ at: now, by: input.person.id, action: 'created', from: 'drafting', to: 'drafting', note: null }],
      cardKeys: [],
    };
  }
}
