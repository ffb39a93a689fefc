import { recordersNote, roleOfDutyKey } from '../../domain/patrols/who-may-record.js';
import { joinMarkdown, md, mention } from '../../workflows/markdown.js';
import type {
  DutyListView,
  LiaisonRequestView,
  OverdueDigestView,
  PatrolCardPresenter,
  PatrolFormView,
  PatrolOverdueView,
  PatrolReminderView,
} from '../../workflows/patrols/views.js';
import type { CardJson } from '../../workflows/ports.js';
import { patrolButtons } from './buttons/patrol-buttons.js';
import { capped, clip } from './limits.js';
import { renderCard } from './template.js';

const numbered = (items: string[]) => joinMarkdown(items.map((item, i) => md`${i + 1}. ${item}`));

/** Lists on patrol cards are capped so a card stays within 30 KB and 200 components (limits.ts). */
const LIST_ITEMS = 10;
const ITEM_CHARS = 150;
const DIGEST_LINES = 80;
const DUTIES = 25;

/** The first items of a list, numbered and cut, then how many more there are and where to see them. */
function numberedCapped(items: string[], where: string) {
  const { shown, more } = capped(items, LIST_ITEMS);
  return joinMarkdown([numbered(shown.map((item) => clip(item, ITEM_CHARS))), more > 0 && `另有 ${more} 项，${where}`]);
}

function subject(view: { chiefName: string; waterBodyName?: string }): string {
  return view.waterBodyName ? `${view.waterBodyName} · ${view.chiefName}` : `全区 · ${view.chiefName}`;
}

/** 巡河提醒 card: pending (orange, with buttons), or recorded (green, buttons gone). */
export function patrolReminderCard(view: PatrolReminderView): CardJson {
  const where = view.waterBodyName ?? '';
  const message = view.recorded
    ? `${where}${view.periodLabel}巡河已记录（${view.recorded.dateLabel}，${view.recorded.onBehalf ? `由${view.recorded.recordedByName}代为记录` : '本人记录'}）；本年已巡河${view.yearDone}/${view.yearTarget}次。`
    : `${where}${view.periodLabel}尚未巡河，截止${view.deadline}（剩${view.daysLeft}天）；本年已巡河${view.yearDone}/${view.yearTarget}次。`;
  return renderCard('patrol-reminder', {
    entryNote: view.entryNote,
    title: view.recorded ? '巡河已记录' : '巡河提醒',
    color: view.recorded ? 'green' : 'orange',
    subject: subject(view),
    greeting: view.mentionOpenId ? md`${mention(view.mentionOpenId)} ` : `${view.chiefName}，`,
    message,
    plannedDay: view.recorded ? undefined : view.plannedDay,
    focusText: view.recorded ? '' : numberedCapped(view.focus, '见联络员单位报送的明查暗访卡片'),
    keyProblemsText: view.recorded ? '' : numberedCapped(view.keyProblems, '由联络员单位维护，请其精简为最突出的几项'),
    showActions: !view.recorded,
    recorded: view.recorded,
    dutyKey: view.dutyKey,
    periodKey: view.periodKey,
    footer: view.recorded ? '感谢您的辛勤履职。' : recordersNote(roleOfDutyKey(view.dutyKey) ?? 'townshipChief'),
  });
}

export function patrolOverdueCard(view: PatrolOverdueView): CardJson {
  const where = view.waterBodyName ?? '全区';
  return renderCard('patrol-overdue', {
    subject: subject(view),
    chiefName: view.chiefName,
    message: `${where}${view.periodName}未记录巡河（${view.dutyText}）。如已巡河，请点击下方补记。`,
    dutyKey: view.dutyKey,
    periodKey: view.periodKey,
  });
}

export function overdueDigestCard(view: OverdueDigestView): CardJson {
  const { shown, more } = capped(view.items, DIGEST_LINES);
  return renderCard('patrol-overdue-digest', {
    date: view.date,
    count: view.items.length,
    itemsText: joinMarkdown([
      ...shown.map((item) => md`- ${clip(item, ITEM_CHARS)}`),
      more > 0 && `另有 ${more} 项，见 /逾期 或 /导出 巡河台账`,
    ]),
  });
}

export function patrolFormCard(view: PatrolFormView): CardJson {
  const c = view.correcting;
  return renderCard('patrol-form', {
    title: c ? '更正巡河记录' : '记录巡河',
    subject: subject(view),
    today: view.today,
    focusText: numberedCapped(view.focus, '见联络员单位报送的明查暗访卡片'),
    observations: c?.observations ?? '',
    problems: c?.problems ?? '',
    lateReason: c?.lateReason ?? '',
    dutyKey: view.dutyKey,
    periodKey: view.periodKey,
    submitValue: c
      ? patrolButtons.correct.value({ d: view.dutyKey, p: view.periodKey, id: c.patrolId, v: c.version })
      : patrolButtons.submit.value({ d: view.dutyKey, p: view.periodKey }),
  });
}

export function dutyListCard(view: DutyListView): CardJson {
  const duties = view.duties.map((d) => ({ ...d, buttonType: d.done ? 'default' : 'primary' }));
  const { shown, more } = capped(duties, DUTIES);
  return renderCard('duty-list', {
    personName: view.personName,
    duties: shown,
    empty: duties.length === 0,
    more: more > 0 ? `另有 ${more} 项巡河职责未列出，可发送 /导出 巡河台账 查看` : '',
  });
}

/** 明查暗访 request to the liaison unit, then what it reported. */
export function liaisonRequestCard(view: LiaisonRequestView): CardJson {
  return renderCard('liaison-request', {
    title: view.submitted ? '明查暗访情况已报送' : '请做好巡河前的明查暗访',
    color: view.submitted ? 'green' : 'blue',
    unitName: view.unitName,
    waterBodyName: view.waterBodyName,
    waterBodyId: view.waterBodyId,
    periodKey: view.periodKey,
    intro: view.submitted
      ? `已由${view.submitted.byName}报送，将作为“本次巡河关注事项”显示在${view.chiefName}的巡河提醒和巡河表单上。`
      : `${view.chiefName}（区级河湖长）本期巡河截止${view.deadline}。按照协调机制第六条，请提前开展明查暗访，掌握突出问题线索，征询有关乡镇需要协调解决的重大问题，并在此报送。`,
    submittedText: view.submitted ? numberedCapped(view.submitted.items, '已全部记入本期巡河关注事项') : '',
    open: !view.submitted,
  });
}

export const patrolCards: PatrolCardPresenter = {
  liaisonRequest: liaisonRequestCard,
  reminder: patrolReminderCard,
  overdue: patrolOverdueCard,
  overdueDigest: overdueDigestCard,
  form: patrolFormCard,
  dutyList: dutyListCard,
};
