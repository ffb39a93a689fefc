import { type Sanction, sanctionName } from '../../domain/accountability/sanction.js';
import type { LateEntries } from '../../domain/assessment/scheme.js';
import type { UnitFacts, UnitGroup } from '../../domain/assessment/score.js';
import { chiefDuties, type Directory, personName } from '../../domain/directory/directory.js';
import { countsAfterGoLive } from '../../domain/directory/go-live.js';
import { assignableUnits } from '../../domain/issues/involvement.js';
import type { IssueSourceKind } from '../../domain/issues/issue.js';
import { SEED_OBLIGATIONS } from '../../domain/patrols/obligation.js';
import { fullDate, shortDate } from '../../domain/time/format.js';
import { type Period, periodLabel, periodOf, periodsOfYear } from '../../domain/time/period.js';
import { fromLocal, type LocalDate, parseLocalDate } from '../../domain/time/zoned.js';
import type { IssueStore } from '../../store/issue-store.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import type { SanctionStore } from '../../store/sanction-store.js';
import { deadlineText } from '../documents/layouts.js';

export interface FactSources {
  issues: IssueStore;
  patrols: PatrolStore;
  sanctions: SanctionStore;
  timeZone: string;
}

/** Townships, and the district departments (liaison units are departments too), in directory order. */
export function assessedUnits(directory: Directory): Array<{ id: string; name: string; group: UnitGroup }> {
  return assignableUnits(directory).map((u) => ({
    id: u.id,
    name: u.name,
    group: u.kind === 'township' ? 'township' : 'department',
  }));
}

const kindOf = (kind: IssueSourceKind): 'ordinary' | 'inspection' | 'decision' =>
  kind === 'inspection' ? 'inspection' : kind === 'decision' || kind === 'task' ? 'decision' : 'ordinary';

/**
 * What a year's records say about each assessed unit, up to the cut-off (the year's end, or
 * now while the year runs): its township chiefs' patrol duty-periods that have ended, the
 * problems assigned to it that fell due, and the 提示/通报/约谈 it received.
 */
export async function gatherFacts(
  directory: Directory,
  year: number,
  cutoff: Date,
  sources: FactSources,
  countFrom?: string,
  goLive?: LocalDate,
  lateEntries: LateEntries = 'count',
): Promise<UnitFacts[]> {
  const tz = sources.timeZone;
  const from = periodOf('year', year, 1, tz).start;
  const units = assessedUnits(directory);
  const facts = new Map<string, UnitFacts>(
    units.map((u) => [u.id, { unitId: u.id, name: u.name, group: u.group, duties: [], problems: [], sanctions: [] }]),
  );

  // 乡级河湖长 duties belong to the township they are chief for (art. 22).
  const townshipDuties = chiefDuties(directory, SEED_OBLIGATIONS).filter((d) => d.role === 'townshipChief');
  const kinds = [...new Set(townshipDuties.map((d) => d.obligation.period))];
  for (const kind of kinds) {
    const first = countFrom ? parseLocalDate(countFrom) : undefined;
    const start = first ? fromLocal(first, tz).getTime() : 0;
    // Only periods that have ended, and that began on or after the scheme's day counting
    // starts; without one, none that ended before the district went live (启用日期).
    const counted = (p: Period) => (first ? p.start.getTime() >= start : countsAfterGoLive(p, goLive));
    for (const period of periodsOfYear(kind, year, tz).filter(
      (p) => p.end.getTime() <= cutoff.getTime() && counted(p),
    )) {
      const counts = await sources.patrols.countsByDuty('townshipChief', kind, period.key, undefined, {
        withoutLate: lateEntries === 'ignore',
      });
      for (const duty of townshipDuties.filter((d) => d.obligation.period === kind)) {
        const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
        const townships = Object.entries(water?.townshipChiefs ?? {})
          .filter(([, chief]) => chief === duty.personId)
          .map(([t]) => t);
        const done = (counts.get(`${duty.personId}|${duty.waterBodyId ?? ''}`) ?? 0) >= duty.obligation.times;
        for (const township of townships) {
          facts.get(township)?.duties.push({
            record: `${personName(directory, duty.personId)}（${water?.name ?? ''}乡级河湖长）`,
            period: periodLabel(period, false),
            fulfilled: done,
          });
        }
      }
    }
  }

  // From the due facts (a document per unit and month of the year), not the problems.
  for (const due of await sources.issues.dueBetween(from, cutoff)) {
    const unit = facts.get(due.assigneeUnit);
    if (!unit) continue;
    const { closedAt } = due;
    unit.problems.push({
      record: `${due.number} ${due.description}`,
      kind: kindOf(due.kind),
      deadline: deadlineText(due.deadline, tz),
      closed: closedAt ? fullDate(closedAt, tz) : undefined,
      closedOnTime: !!closedAt && closedAt.getTime() <= due.deadline.getTime(),
      rectified: !!closedAt && closedAt.getTime() <= cutoff.getTime(),
    });
  }

  for (const s of await sources.sanctions.ofYear(year)) {
    if (s.issuedAt.getTime() > cutoff.getTime()) continue;
    facts.get(s.unitId)?.sanctions.push(sanctionFact(s, tz));
  }
  return [...facts.values()];
}

function sanctionFact(s: Sanction, tz: string) {
  return {
    record: `${sanctionName(s)}（${shortDate(s.issuedAt, tz)}）`,
    kind: s.kind,
    praise: !!s.praise,
    day: fullDate(s.issuedAt, tz),
    reason: s.reason,
  };
}
