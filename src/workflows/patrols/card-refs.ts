import { type ChiefDuty, chiefDuties, type Directory } from '../../domain/directory/directory.js';
import { dutyKey } from '../../domain/patrols/duty-key.js';
import { SEED_OBLIGATIONS } from '../../domain/patrols/obligation.js';
import { type Period, parsePeriodKey } from '../../domain/time/period.js';
import { StaleError } from '../../errors.js';

/** What a patrol card's value names (a duty key, a period key), found again or refused as stale. */

/** The duty a card was sent for, as the directory now has it. */
export function dutyOfCard(directory: Directory, key: string): ChiefDuty {
  const duty = chiefDuties(directory, SEED_OBLIGATIONS).find((d) => dutyKey(d) === key);
  // The roster changed since the card was sent: the duty is gone.
  if (!duty) throw new StaleError('该巡河职责已变更，请以最新的组织名录为准。');
  return duty;
}

/** The period a card was sent for. */
export function periodOfCard(periodKey: string, timeZone: string): Period {
  const period = parsePeriodKey(periodKey, timeZone);
  if (!period) throw new StaleError('卡片数据无效，请重新打开最新的卡片。');
  return period;
}
