import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { ChiefDuty } from '../domain/directory/directory.js';
import type { ChiefRole } from '../domain/patrols/obligation.js';
import type { PatrolPeriods, PatrolRecord } from '../domain/patrols/patrol.js';
import type { PeriodKind } from '../domain/time/period.js';
import { formatLocalDate, type LocalDate, parseLocalDate } from '../domain/time/zoned.js';
import { ClaimStore } from './claim-store.js';
import {
  PackedCounts,
  type PatrolSheet,
  patrolCountsByDuty,
  readPackedCounts,
  readPatrolSheet,
  refOfPatrol,
  refreshPatrolFigures,
} from './figures/patrol-figures.js';
import { planPageOf, readPlanPages, refreshPlanPage } from './figures/patrol-plan-pages.js';
import type { ClaimModels } from './models/claim.js';
import type { PatrolDoc, PatrolModels, PatrolPlanDoc } from './models/patrol.js';
import type { WaterBodyNoteDoc, WaterBodyNoteModels } from './models/water-body-note.js';
import { upsertByKey } from './mongo-errors.js';

/** A patrol as the reminder sweep needs it: whose, where, when. */
export interface PatrolFact {
  id: string;
  chiefId: string;
  waterBodyId: string | undefined;
  patrolledAt: Date;
  recordedBy: string;
  version: number;
  /** When it was entered, and whether that was after its period (补记). */
  enteredAt: Date;
  late: boolean;
}

export class PatrolStore {
  private readonly claims: ClaimStore;

  constructor(
    private readonly models: PatrolModels & WaterBodyNoteModels & ClaimModels,
    private readonly clock: Clock,
  ) {
    this.claims = new ClaimStore(models, clock);
  }

  async record(input: Omit<PatrolRecord, 'id' | 'status' | 'version'>, periods?: PatrolPeriods): Promise<PatrolRecord> {
    const now = this.clock.now();
    const key = randomUUID();
    await this.models.patrols.create({
      key,
      chiefId: input.chiefId,
      role: input.role ?? null,
      periods: periods ?? null,
      waterBodyId: input.waterBodyId ?? null,
      recordedBy: input.recordedBy,
      patrolledAt: input.patrolledAt,
      observations: input.observations,
      problems: input.problems,
      photoKeys: input.photoKeys,
      status: 'recorded',
      version: 1,
      late: input.late ?? false,
      lateReason: input.lateReason ?? null,
      history: [{ at: now, by: input.recordedBy, action: 'recorded', note: null }],
      createdAt: now,
    });
    // The duty's figures follow in the same path (read model, see patrol-figures.ts).
    await refreshPatrolFigures(this.models, [
      refOfPatrol({
        role: input.role ?? null,
        chiefId: input.chiefId,
        waterBodyId: input.waterBodyId ?? null,
        periods: periods ?? null,
      }),
    ]);
    return { ...input, id: key, status: 'recorded', version: 1 };
  }

  /** Recorded (not withdrawn) patrols since an instant, projected to what duties need. */
  async factsSince(since: Date, chiefIds?: string[]): Promise<PatrolFact[]> {
    const filter: Record<string, unknown> = { status: 'recorded', patrolledAt: { $gte: since } };
    if (chiefIds) filter.chiefId = { $in: chiefIds };
    const docs = await this.models.patrols
      .find(filter, {
        key: 1,
        chiefId: 1,
        waterBodyId: 1,
        patrolledAt: 1,
        recordedBy: 1,
        version: 1,
        createdAt: 1,
        late: 1,
        _id: 0,
      })
      .lean<
        Array<
          Pick<
            PatrolDoc,
            'key' | 'chiefId' | 'waterBodyId' | 'patrolledAt' | 'recordedBy' | 'version' | 'createdAt' | 'late'
          >
        >
      >()
      .exec();
    return docs.map((d) => ({
      id: d.key,
      chiefId: d.chiefId,
      waterBodyId: d.waterBodyId ?? undefined,
      patrolledAt: d.patrolledAt,
      recordedBy: d.recordedBy,
      version: d.version,
      enteredAt: d.createdAt,
      late: d.late === true,
    }));
  }

  /** Recorded patrols dated in [from, to), in date order, for the ledger (巡河台账). */
  async recordedBetween(
    from: Date,
    to: Date,
    scope: { waterBodyIds?: string[]; chiefIds?: string[] },
    limit: number,
  ): Promise<PatrolDoc[]> {
    const filter: Record<string, unknown> = { status: 'recorded', patrolledAt: { $gte: from, $lt: to } };
    const or: Array<Record<string, unknown>> = [];
    if (scope.waterBodyIds) or.push({ waterBodyId: { $in: scope.waterBodyIds } });
    if (scope.chiefIds) or.push({ chiefId: { $in: scope.chiefIds } });
    if (or.length > 0) filter.$or = or;
    return this.models.patrols.find(filter).sort({ patrolledAt: 1 }).limit(limit).lean<PatrolDoc[]>().exec();
  }

  /**
   * Per period of a year, how many of one role's duties were fulfilled: patrols grouped by
   * duty (chief and water body; the general chief's duty is district-wide) and period, those
   * reaching `times` counted. All on the database; a handful of rows come back.
   */
  async fulfilledByPeriod(
    role: ChiefRole,
    kind: PeriodKind,
    year: string,
    times: number,
    waterBodyIds?: string[],
  ): Promise<Map<string, number>> {
    if (waterBodyIds) {
      // One water body at a time: an equality the embedded database reads by (see equalityBranches);
      // each duty is on one water body, so the counts add up.
      const parts = await Promise.all(
        waterBodyIds.map((w) => this.fulfilledIn(role, kind, year, times, { waterBodyId: w })),
      );
      const sum = new Map<string, number>();
      for (const part of parts) for (const [period, n] of part) sum.set(period, (sum.get(period) ?? 0) + n);
      return sum;
    }
    return this.fulfilledIn(role, kind, year, times, {});
  }

  private async fulfilledIn(
    role: ChiefRole,
    kind: PeriodKind,
    year: string,
    times: number,
    scope: Record<string, string>,
  ): Promise<Map<string, number>> {
    const match: Record<string, unknown> = { ...scope, role, 'periods.year': year, status: 'recorded' };
    const duty =
      role === 'generalChief'
        ? { chief: '$chiefId', p: `$periods.${kind}` }
        : { chief: '$chiefId', water: '$waterBodyId', p: `$periods.${kind}` };
    const rows = await this.models.patrols
      .aggregate<{ _id: string; fulfilled: number }>([
        { $match: match },
        { $group: { _id: duty, n: { $sum: 1 } } },
        { $match: { n: { $gte: times } } },
        { $group: { _id: '$_id.p', fulfilled: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((r) => [r._id, r.fulfilled]));
  }

  /**
   * Patrols per duty (`chief|water`; the general chief's without water) in one period;
   * without late entries (补记) when the assessment scheme says they do not count. Read from
   * the patrol figures (one sheet per duty holder), not from the patrols.
   */
  async countsByDuty(
    role: ChiefRole,
    kind: PeriodKind,
    periodKey: string,
    waterBodyIds?: string[],
    options: { withoutLate?: boolean } = {},
  ): Promise<Map<string, number>> {
    // Period keys are `2026`, `2026-Q4`, `2026-03` (see period.ts).
    const year = Number(periodKey.slice(0, 4));
    const index = kind === 'year' ? 1 : Number(periodKey.slice(kind === 'quarter' ? 6 : 5));
    return patrolCountsByDuty(this.models, role, { kind, index, year }, { waterBodyIds, ...options });
  }

  /** Patrols recorded before role and period keys were kept on them. */
  async withoutPeriods(
    limit: number,
  ): Promise<Array<Pick<PatrolDoc, 'key' | 'chiefId' | 'waterBodyId' | 'patrolledAt'>>> {
    return this.models.patrols
      .find({ periods: null }, { key: 1, chiefId: 1, waterBodyId: 1, patrolledAt: 1, _id: 0 })
      .limit(limit)
      .lean<Array<Pick<PatrolDoc, 'key' | 'chiefId' | 'waterBodyId' | 'patrolledAt'>>>()
      .exec();
  }

  async setDerived(key: string, role: ChiefRole | null, periods: PatrolPeriods): Promise<void> {
    await this.models.patrols.updateOne({ key }, { $set: { role, periods } }).exec();
    // Now that it has a duty and periods, it counts: its sheet is recomputed.
    const patrol = await this.figureFacts(key);
    await refreshPatrolFigures(this.models, [patrol ? refOfPatrol(patrol) : undefined]);
  }

  /** What says which figures a patrol counts in. */
  private figureFacts(key: string) {
    return this.models.patrols
      .findOne({ key }, { role: 1, chiefId: 1, waterBodyId: 1, periods: 1, _id: 0 })
      .lean<Pick<PatrolDoc, 'role' | 'chiefId' | 'waterBodyId' | 'periods'>>()
      .exec();
  }

  async findByKey(key: string): Promise<PatrolDoc | null> {
    return this.models.patrols.findOne({ key }).lean<PatrolDoc>().exec();
  }

  /**
   * Applies a correction or withdrawal to the version the person saw; false when the patrol
   * moved on meanwhile. Each change is appended to the patrol's history.
   */
  async change(
    key: string,
    version: number,
    by: string,
    change:
      | {
          action: 'corrected';
          set: Pick<PatrolDoc, 'patrolledAt' | 'observations' | 'problems' | 'periods' | 'late' | 'lateReason'>;
        }
      | { action: 'withdrawn' },
  ): Promise<boolean> {
    // The claim makes one of two simultaneous changes win on FerretDB too, whose
    // conditional updates are not atomic.
    if (!(await this.claims.claim(`patrol:${key}@${version}`, by))) return false;
    // A correction may move the patrol to another period or year: both sheets are recomputed.
    const before = await this.figureFacts(key);
    const set = change.action === 'withdrawn' ? { status: 'withdrawn' } : change.set;
    const result = await this.models.patrols.updateOne(
      { key, version, status: 'recorded' },
      {
        $set: set,
        $inc: { version: 1 },
        $push: { history: { at: this.clock.now(), by, action: change.action, note: null } },
      },
    );
    if (result.modifiedCount !== 1) return false;
    const after = await this.figureFacts(key);
    await refreshPatrolFigures(this.models, [
      before ? refOfPatrol(before) : undefined,
      after ? refOfPatrol(after) : undefined,
    ]);
    return true;
  }

  /** Replaces a water body's note (重难点问题, or a period's 关注事项). */
  async setNote(
    waterBodyId: string,
    kind: 'keyProblems' | 'focus',
    periodKey: string | undefined,
    items: string[],
    by: string,
  ): Promise<void> {
    const key = kind === 'focus' ? `${waterBodyId}:focus:${periodKey ?? ''}` : `${waterBodyId}:keyProblems`;
    const fields = { waterBodyId, kind, items, by, at: this.clock.now() };
    await upsertByKey(this.models.waterBodyNotes, key, fields);
  }

  /** The standing 重难点问题 and this period's 关注事项 of a water body. */
  async notes(waterBodyId: string, periodKey: string): Promise<{ keyProblems: string[]; focus: string[] }> {
    const docs = await this.models.waterBodyNotes
      .find({ key: { $in: [`${waterBodyId}:keyProblems`, `${waterBodyId}:focus:${periodKey}`] } })
      .lean<WaterBodyNoteDoc[]>()
      .exec();
    return {
      keyProblems: docs.find((d) => d.kind === 'keyProblems')?.items ?? [],
      focus: docs.find((d) => d.kind === 'focus')?.items ?? [],
    };
  }

  /** The latest recorded patrol for a chief and water body within [from, to). */
  async latestIn(chiefId: string, waterBodyId: string | undefined, from: Date, to: Date): Promise<PatrolDoc | null> {
    const filter: Record<string, unknown> = { chiefId, status: 'recorded', patrolledAt: { $gte: from, $lt: to } };
    if (waterBodyId) filter.waterBodyId = waterBodyId;
    return this.models.patrols.findOne(filter).sort({ patrolledAt: -1 }).lean<PatrolDoc>().exec();
  }

  /** Adds photos (`<message id>/<image key>`, one message may carry several) or sets the location of a patrol. */
  async attach(
    key: string,
    attachment: { photos: string[] } | { location: NonNullable<PatrolDoc['location']> },
  ): Promise<void> {
    const update =
      'photos' in attachment
        ? { $addToSet: { photoKeys: { $each: attachment.photos } } }
        : { $set: { location: attachment.location } };
    await this.models.patrols.updateOne({ key }, update);
  }

  async findByChief(chiefId: string): Promise<PatrolDoc[]> {
    return this.models.patrols.find({ chiefId }).sort({ patrolledAt: 1 }).lean<PatrolDoc[]>().exec();
  }

  /** 已安排: remembers the planned day for a duty's period (`<duty key>:<period key>`); a later plan replaces it. */
  async setPlan(planKey: string, day: LocalDate, by: string): Promise<void> {
    const periodKey = planKey.slice(planKey.lastIndexOf(':') + 1);
    const page = planPageOf(planKey);
    const fields = { periodKey, plannedDay: formatLocalDate(day), by, at: this.clock.now(), page };
    await upsertByKey(this.models.patrolPlans, planKey, fields);
    // The sweep reads plans from pages (one document per many plans), recomputed here.
    await refreshPlanPage(this.models.patrolPlans, periodKey, page);
  }

  /**
   * Planned days by plan key for whole periods (the sweep's): from the periods' plan pages,
   * one equality query per period (a page holds many plans). Plans kept before their period
   * was stored are put on pages by the rebuild (and the upgrade), so no query scans the plans.
   */
  async plansOfPeriods(periodKeys: string[]): Promise<Map<string, LocalDate>> {
    const out = new Map<string, LocalDate>();
    for (const [key, plannedDay] of await readPlanPages(this.models.patrolPlans.db, periodKeys)) {
      const day = parseLocalDate(plannedDay);
      if (day) out.set(key, day);
    }
    return out;
  }

  /**
   * Notes of many water bodies at once (the sweep's reminders): every standing 重难点问题, and
   * the 关注事项 kept since `since` (a period's are written during it); two queries, not one per card.
   */
  async notesSince(
    since: Date,
  ): Promise<(waterBodyId: string, periodKey: string) => { keyProblems: string[]; focus: string[] }> {
    const [standing, focus] = await Promise.all([
      this.models.waterBodyNotes.find({ kind: 'keyProblems' }).lean<WaterBodyNoteDoc[]>().exec(),
      this.models.waterBodyNotes
        .find({ kind: 'focus', at: { $gte: since } })
        .lean<WaterBodyNoteDoc[]>()
        .exec(),
    ]);
    const byKey = new Map([...standing, ...focus].map((d) => [d.key, d.items]));
    return (waterBodyId, periodKey) => ({
      keyProblems: byKey.get(`${waterBodyId}:keyProblems`) ?? [],
      focus: byKey.get(`${waterBodyId}:focus:${periodKey}`) ?? [],
    });
  }

  /** The patrol figures of some years (one packed sheet per duty holder), for the reminder sweep. */
  packedCounts(years: number[]): Promise<PackedCounts> {
    return readPackedCounts(this.models, years);
  }

  /** One duty's patrol figures of a year (the card's 本年已巡河). */
  sheetOf(duty: ChiefDuty, year: number): Promise<PatrolSheet | undefined> {
    return readPatrolSheet(this.models, duty, year);
  }

  /** Planned days by plan key, for the given keys. */
  async plans(planKeys: string[]): Promise<Map<string, LocalDate>> {
    const docs = await this.models.patrolPlans
      .find({ key: { $in: planKeys } })
      .lean<PatrolPlanDoc[]>()
      .exec();
    const out = new Map<string, LocalDate>();
    for (const doc of docs) {
      const day = parseLocalDate(doc.plannedDay);
      if (day) out.set(doc.key, day);
    }
    return out;
  }
}
