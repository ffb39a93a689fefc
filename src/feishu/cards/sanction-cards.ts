import type {
  AdmonitionFormView,
  AdmonitionStepFormView,
  NoticeFormView,
  SanctionCardPresenter,
  SanctionView,
} from '../../workflows/accountability/views.js';
import { joinMarkdown, type Markdown, md } from '../../workflows/markdown.js';
import { capped, clip, PERSON_OPTIONS_CAP } from './limits.js';
import { renderCard } from './template.js';

const COLORS = { prompt: 'orange', bulletin: 'red', admonition: 'carmine' } as const;

function facts(view: SanctionView): Markdown {
  const a = view.admonition;
  return joinMarkdown([
    md`**${a ? '被约谈单位' : '单位'}**：${view.unitName}`,
    a ? md`**约谈对象**：${a.interviewee}` : undefined,
    md`**事由**：${view.reason}`,
    a
      ? md`**发起人**：${a.initiatorName}（区河长制办公室组织）`
      : md`**发出**：${view.issuedByName} · ${view.issuedOn}`,
    a ? md`**时间**：${a.when}` : undefined,
    a ? md`**地点**：${a.place}` : undefined,
    a?.participantNames ? md`**参加人员**：${a.participantNames}` : undefined,
  ]);
}

function talk(view: SanctionView): Markdown | '' {
  const a = view.admonition;
  if (!a || a.stage === 'scheduled') return '';
  return joinMarkdown([
    md`**约谈记录**：${a.record ?? ''}`,
    md`**整改承诺**：${a.commitments ?? ''}`,
    md`**复核日期**：${a.reviewOn ?? ''}`,
    a.review
      ? md`**复核结果**：${a.review.outcomeName}（${a.review.byName}，${a.review.on}）${a.review.note ? `\n${a.review.note}` : ''}`
      : undefined,
    a.referral
      ? md`**问题线索**：${a.referral.on}移交${a.referral.body}（${a.referral.byName}记录）${a.referral.note ? `\n${a.referral.note}` : ''}`
      : undefined,
  ]);
}

function footer(view: SanctionView): string {
  const a = view.admonition;
  if (!a && view.praise) return `本次通报表扬计入${view.unitName}年度考核加分。`;
  if (!a) return `请${view.unitName}立即整改，并在相关问题卡片上报送进展。本次${view.kindName}计入年度考核扣分依据。`;
  if (a.stage === 'scheduled')
    return '约谈后，由区河长制办公室点击“记录约谈情况”，写明记录、整改承诺和复核日期；复核日当天将提醒复核。';
  if (a.stage === 'held') return '复核日当天提醒区河长制办公室和发起人复核；确需问责的，由区河长制办公室移交问题线索。';
  return a.referral ? '约谈已复核，问题线索已移交。' : '约谈已复核。确需问责的，可移交问题线索。';
}

/** What a sanction's card holds at most (limits.ts: 30 KB): the problems listed, texts cut. */
const ISSUES = 10;
const ISSUE_CHARS = 80;
const PARTICIPANTS = 30;
const RECORD_CHARS = 2000;

function bounded(full: SanctionView): SanctionView & { moreIssues: number } {
  const { shown, more } = capped(full.issues, ISSUES);
  const a = full.admonition;
  const names = a ? capped(a.participantNames.split('、').filter(Boolean), PARTICIPANTS) : undefined;
  return {
    ...full,
    issues: shown.map((i) => ({ ...i, description: clip(i.description, ISSUE_CHARS) })),
    moreIssues: more,
    admonition: a && {
      ...a,
      participantNames: names
        ? `${names.shown.join('、')}${names.more > 0 ? ` 等 ${names.shown.length + names.more} 人` : ''}`
        : '',
      record: a.record === undefined ? undefined : clip(a.record, RECORD_CHARS),
    },
  };
}

/** Cards for 提示、通报、约谈 (cards/sanction*.json, cards/admonition*.json). */
export const sanctionCards: SanctionCardPresenter = {
  sanction(full) {
    const view = bounded(full);
    const a = view.admonition;
    return renderCard('sanction', {
      id: view.id,
      version: view.version,
      title: `河湖长制${view.kindName} · ${view.unitName}`,
      subtitle: a ? a.stageName : view.issuedOn,
      color: view.praise ? 'green' : COLORS[view.kind],
      facts: facts(view),
      issueLines: joinMarkdown([
        ...view.issues.map((i) => `${i.number} ${i.description}（${i.stateName}）`),
        view.moreIssues > 0 && `另有 ${view.moreIssues} 个问题，见 /导出 问题台账`,
      ]),
      talk: talk(view),
      canRecord: a?.stage === 'scheduled',
      canReview: a?.stage === 'held',
      canRefer: !!a && a.stage !== 'scheduled' && !a.referral,
      footer: footer(view),
    });
  },
  noticeForm(view: NoticeFormView) {
    return renderCard('sanction-notice-form', {
      ...view,
      kindName: view.kind === 'prompt' ? '提示' : view.kind === 'praise' ? '通报表扬' : '通报',
      noUnit: !view.unit,
      reason: view.reason ?? '',
    });
  },
  admonitionForm(view: AdmonitionFormView) {
    // Each option of a person picker is a component: the directory's people are listed up to a
    // cap; past it the picker has no options and Feishu offers the members of the chat
    // (multi_select_person, options: "为空或全无效时候选项为会话全体成员", values are open_ids:
    // https://raw.githubusercontent.com/larksuite/cli/3d82c85419ad7560ad017db7a3972a596b5fbeb1/skills/lark-im/references/card/components/multi_select_person.md ;
    // component list: https://open.larksuite.com/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/component-json-v2-overview).
    const listed = view.personOpenIds.length > 0 && view.personOpenIds.length <= PERSON_OPTIONS_CAP;
    return renderCard('admonition-form', {
      ...view,
      noUnit: !view.unit,
      noInitiator: !view.initiator,
      personOptions: listed ? view.personOpenIds : undefined,
      chatPeopleOnly: !listed,
      peopleHint: listed ? '' : '参加人员只能从本群成员中选择；被约谈单位和区河长制办公室会收到约谈卡片。',
    });
  },
  admonitionStep(view: AdmonitionStepFormView) {
    return renderCard('admonition-step-form', { ...view, [view.step]: true });
  },
};
