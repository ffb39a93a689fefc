import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, type Person, unitName } from '../../domain/directory/directory.js';
import { unitReachable, unreachableRefusal } from '../../domain/directory/reachability.js';
import {
  checkFinding,
  FINDING_ASPECT_NAMES,
  type FindingInput,
  type Inspection,
  inspectableWaters,
  inspectingUnit,
  mayRecordFindings,
} from '../../domain/inspections/inspection.js';
import { STATE_NAMES } from '../../domain/issues/lifecycle.js';
import { deadlineFor } from '../../domain/issues/supervision.js';
import { fullDate } from '../../domain/time/format.js';
import { daysBetween, formatLocalDate, fromLocal, type LocalDate, toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { InspectionStore } from '../../store/inspection-store.js';
import type { IssueStore } from '../../store/issue-store.js';
import { updateDeliveredCards } from '../card-copies.js';
import { type Destination, distinctPlaces, officeDestinations, unitDestinationsById } from '../destinations.js';
import { deadlineText } from '../documents/layouts.js';
import type { IssueService } from '../issues/issue-service.js';
import type { CardJson, Messenger } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import type { InspectionCardPresenter, InspectionView } from './views.js';

export interface InspectionDeps {
  directory: DirectoryStore;
  inspections: InspectionStore;
  issueStore: IssueStore;
  issues: IssueService;
  messenger: Messenger;
  cards: InspectionCardPresenter;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

export interface InspectionInput {
  title: string;
  waterBodyId?: string;
  from: LocalDate;
  to: LocalDate;
}

export interface FindingFormInput extends FindingInput {
  deadline: LocalDate;
  requirement: string;
}

/**
 * 督查 (seed art. 15): the office or a liaison unit opens an inspection, records each finding
 * on its card, and every finding becomes a problem assigned at once to the township for
 * rectification (交办乡镇落实整改) with the competent department and the water body's liaison
 * unit supervising (督促指导). The card, sent as the report, lists the findings and where
 * each stands.
 */
export class InspectionService {
  constructor(private readonly deps: InspectionDeps) {}

  async form(actorOpenId: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const unit = this.organiser(directory, person);
    const waters = new Set(inspectableWaters(directory, unit));
    return this.deps.cards.form({
      waterOptions: directory.waterBodies.filter((w) => waters.has(w.id)).map((w) => ({ value: w.id, label: w.name })),
      today: formatLocalDate(toLocal(this.deps.clock.now(), this.deps.timeZone)),
    });
  }

  async create(actorOpenId: string, input: InspectionInput, key: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const unit = this.organiser(directory, person);
    const allowed = inspectableWaters(directory, unit);
    if (input.waterBodyId && !allowed.includes(input.waterBodyId))
      throw new UserInputError('只能督查本单位联系的河湖，请重新选择');
    // The office may inspect the whole district; a liaison unit its own water bodies.
    const waterBodyIds = input.waterBodyId ? [input.waterBodyId] : unit.kind === 'riverChiefOffice' ? [] : allowed;
    if (daysBetween(input.from, input.to) < 0) throw new UserInputError('结束日期不能早于开始日期');
    const tz = this.deps.timeZone;
    const inspection: Inspection = {
      id: `inspection:${key}`,
      title: input.title,
      organiserUnit: unit.id,
      waterBodyIds,
      from: fromLocal(input.from, tz),
      to: fromLocal(input.to, tz),
      findings: [],
      createdBy: person.id,
      createdAt: this.deps.clock.now(),
      version: 1,
    };
    if (await this.deps.inspections.create(inspection))
      this.deps.logger.info({ inspection: inspection.id, unit: unit.id }, 'inspection opened');
    return this.deps.cards.inspection(
      await this.view(directory, (await this.deps.inspections.get(inspection.id)) ?? inspection),
    );
  }

  async card(actorOpenId: string, id: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    requirePerson(directory, actorOpenId);
    return this.deps.cards.inspection(await this.view(directory, await this.load(id)));
  }

  async findingForm(actorOpenId: string, id: string, version: number): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const inspection = await this.load(id);
    this.mayRecord(directory, person, inspection);
    if (inspection.version !== version) throw new StaleError('卡片已过期，已刷新为最新内容。');
    const waters = directory.waterBodies.filter(
      (w) => inspection.waterBodyIds.length === 0 || inspection.waterBodyIds.includes(w.id),
    );
    const townships = new Set(waters.flatMap((w) => w.townships));
    return this.deps.cards.findingForm({
      id,
      version,
      title: inspection.title,
      waterOptions: waters.map((w) => ({ value: w.id, label: w.name })),
      townshipOptions: directory.units
        .filter((u) => u.kind === 'township' && townships.has(u.id))
        .map((u) => ({ value: u.id, label: u.name })),
      departmentOptions: directory.units
        .filter((u) => u.kind === 'department' || u.kind === 'liaisonUnit')
        .map((u) => ({ value: u.id, label: u.name })),
    });
  }

  /**
   * Records a finding: the problem is registered and assigned to the township first (once per
   * submission), then numbered on the inspection; a retried submission changes nothing.
   */
  async addFinding(actorOpenId: string, id: string, version: number, input: FindingFormInput): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const inspection = await this.load(id);
    this.mayRecord(directory, person, inspection);
    const wrong = checkFinding(directory, inspection, input);
    if (wrong) throw new UserInputError(wrong);
    const township = directory.units.find((u) => u.id === input.townshipId);
    if (township && !unitReachable(directory, township)) throw new UserInputError(unreachableRefusal(township));
    const tz = this.deps.timeZone;
    const now = this.deps.clock.now();
    if (daysBetween(toLocal(now, tz), input.deadline) < 0) throw new UserInputError('整改时限不能早于今天');
    const ref = `${id}:${version}:${person.id}`;
    const issue = await this.deps.issues.reportAssigned(
      {
        waterBodyId: input.waterBodyId,
        townshipId: input.townshipId,
        place: '',
        description: input.text,
        category: '其他',
        urgency: 'normal',
        source: { kind: 'inspection', ref },
        foundBy: person.id,
        foundAt: now,
        reportedBy: person.id,
      },
      {
        unit: input.townshipId,
        deadline: deadlineFor(input.deadline, tz),
        requirement: input.requirement,
        // A liaison unit's own inspection: it follows the rectification too.
        trackerUnit:
          inspection.organiserUnit === directory.units.find((u) => u.kind === 'riverChiefOffice')?.id
            ? undefined
            : inspection.organiserUnit,
        department: input.departmentId,
        assignedBy: person.id,
      },
    );
    const updated = await this.deps.inspections.addFinding(id, {
      aspect: input.aspect,
      text: input.text,
      waterBodyId: input.waterBodyId,
      townshipId: input.townshipId,
      departmentId: input.departmentId,
      deadline: deadlineFor(input.deadline, tz),
      issueId: issue.id,
      recordedBy: person.id,
    });
    this.deps.logger.info({ inspection: id, issue: issue.id }, 'inspection finding recorded');
    const card = this.deps.cards.inspection(await this.view(directory, updated ?? inspection));
    if (updated?.reportedAt)
      await updateDeliveredCards(
        this.deps.messenger,
        this.places(directory, updated).map((d) =>
          messageKey('inspectionReport', { inspectionId: id, place: d.place }),
        ),
        `v${updated.version}`,
        card,
      );
    return card;
  }

  /**
   * Sends the report (this card) to the office, the organiser and each township with findings;
   * sent again later, the copies already delivered show the findings as they now stand.
   */
  async report(actorOpenId: string, id: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const inspection = await this.load(id);
    this.mayRecord(directory, person, inspection);
    if (inspection.findings.length === 0) throw new UserInputError('尚未记录督查发现的问题。');
    const now = this.deps.clock.now();
    if (!inspection.reportedAt) await this.deps.inspections.markReported(id, now);
    const current = (await this.deps.inspections.get(id)) ?? inspection;
    const card = this.deps.cards.inspection(await this.view(directory, current));
    const places = this.places(directory, current);
    await updateDeliveredCards(
      this.deps.messenger,
      places.map((d) => messageKey('inspectionReport', { inspectionId: id, place: d.place })),
      `v${current.version}:${now.getTime()}`,
      card,
    );
    for (const d of places)
      await this.deps.messenger.send(messageKey('inspectionReport', { inspectionId: id, place: d.place }), d.to, {
        kind: 'card',
        card,
      });
    return card;
  }

  private places(directory: Directory, inspection: Inspection): Destination[] {
    return distinctPlaces([
      ...officeDestinations(directory),
      ...unitDestinationsById(directory, inspection.organiserUnit),
      ...inspection.findings.flatMap((f) => unitDestinationsById(directory, f.townshipId)),
    ]);
  }

  private async view(directory: Directory, inspection: Inspection): Promise<InspectionView> {
    const tz = this.deps.timeZone;
    const now = this.deps.clock.now();
    const findings: InspectionView['findings'] = [];
    for (const f of inspection.findings) {
      const issue = await this.deps.issueStore.get(f.issueId);
      const closed = issue?.state === 'closed';
      findings.push({
        n: f.n,
        aspectName: FINDING_ASPECT_NAMES[f.aspect] ?? '',
        text: f.text,
        waterName: directory.waterBodies.find((w) => w.id === f.waterBodyId)?.name ?? '',
        townshipName: unitName(directory, f.townshipId),
        departmentName: f.departmentId ? unitName(directory, f.departmentId) : undefined,
        deadline: deadlineText(issue?.deadline ?? f.deadline, tz),
        issueId: f.issueId,
        number: issue?.number ?? '',
        stateName: issue ? STATE_NAMES[issue.state] : '',
        overdue: !closed && !!issue?.deadline && issue.deadline.getTime() <= now.getTime(),
        closed,
      });
    }
    const waters = directory.waterBodies.filter((w) => inspection.waterBodyIds.includes(w.id)).map((w) => w.name);
    return {
      id: inspection.id,
      version: inspection.version,
      title: inspection.title,
      organiserName: unitName(directory, inspection.organiserUnit),
      scopeName: inspection.waterBodyIds.length === 0 ? '全区' : waters.join('、'),
      period: `${fullDate(inspection.from, tz)}至${fullDate(inspection.to, tz)}`,
      findings,
      reportedOn: inspection.reportedAt && fullDate(inspection.reportedAt, tz),
    };
  }

  private async load(id: string): Promise<Inspection> {
    const inspection = await this.deps.inspections.get(id);
    if (!inspection) throw new UserInputError('找不到该督查，可能已被删除。');
    return inspection;
  }

  private organiser(directory: Directory, person: Person) {
    const unit = inspectingUnit(directory, person.id);
    if (!unit) throw new ForbiddenError('督查由区河长制办公室或区级河湖长联络员单位组织。');
    return unit;
  }

  private mayRecord(directory: Directory, person: Person, inspection: Inspection): void {
    if (mayRecordFindings(directory, person.id, inspection)) return;
    const organiser = directory.units.find((u) => u.id === inspection.organiserUnit);
    throw new ForbiddenError(
      organiser?.kind === 'riverChiefOffice'
        ? '只有区河长制办公室可以记录本次督查。'
        : `只有${organiser?.name ?? ''}或区河长制办公室可以记录本次督查。`,
    );
  }
}
