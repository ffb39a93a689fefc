import type { AdmonitionFormView, AdmonitionStepFormView, NoticeFormView, SanctionCardPresenter, SanctionView } from '../../workflows/accountability/views.js';
import { joinMarkdown, type Markdown, md } from '../../workflows/markdown.js';
import { renderCard } from './template.js';

const COLORS = { prompt: 'orange', bulletin: 'red', admonition: 'carmine' } as const;

function facts(view: SanctionView): Markdown {
  const a = view.admonition;
  return joinMarkdown([
    md`**${a ? '被约谈单位' : '单位'}**：${view.unitName}`,
    a ? md`**约谈对象**：${a.interviewee}` : undefined,
    md`**事由**：${view.reason}`,
    a ? md`**发起人**：${a.initiatorName}（区河长制办公室组织）` : md`**发出**：${view.issuedByName} · ${view.issuedOn}`,
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
    a.review ? md`**复核结果**：${a.review.outcomeName}（${a.review.byName}，${a.review.on}）${a.review.note ? `\n${a.review.note}` : ''}` : undefined,
    a.referral ? md`**问题线索**：${a.referral.on}移交${a.referral.body}（${a.referral.byName}记录）${a.referral.note ? `\n${a.referral.note}` : ''}` : undefined,
  ]);
}

function footer(view: SanctionView): string {
  const a = view.admonition;
  if (!a && view.praise) return `本次通报表扬计入${view.unitName}年度考核加分。`;
  if (!a) return `请${view.unitName}立即整改，并在相关问题卡片上报送进展。本次${view.kindName}计入年度考核扣分依据。`;
  if (a.stage === 'scheduled') return '约谈后，由区河长制办公室点击“记录约谈情况”，写明记录、整改承诺和复核日期；复核日当天将提醒复核。';
  if (a.stage === 'held') return '复核日当天提醒区河长制办公室和发起人复核；确需问责的，由区河长制办公室移交问题线索。';
  return a.referral ? '约谈已复核，问题线索已移交。' : '约谈已复核。确需问责的，可移交问题线索。';
}

/** Cards for 提示、通报、约谈 (cards/sanction*.json, cards/admonition*.json). */
export const sanctionCards: SanctionCardPresenter = {
  sanction(view) {
    const a = view.admonition;
    return renderCard('sanction', {
      id: view.id,
      version: view.version,
      title: `河湖长制${view.kindName} · ${view.unitName}`,
      subtitle: a ? a.stageName : view.issuedOn,
      color: view.praise ? 'green' : COLORS[view.kind],
      facts: facts(view),
      issueLines: joinMarkdown(view.issues.map((i) => `${i.number} ${i.description}（${i.stateName}）`)),
      talk: talk(view),
      canRecord: a?.stage === 'scheduled',
      canReview: a?.stage === 'held',
      canRefer: !!a && a.stage !== 'scheduled' && !a.referral,
      footer: footer(view),
    });
  },
  noticeForm(view: NoticeFormView) {
    return renderCard('sanction-notice-form', { ...view, kindName: view.kind === 'prompt' ? '提示' : view.kind === 'praise' ? '通报表扬' : '通报', noUnit: !view.unit, reason: view.reason ?? '' });
  },
  admonitionForm(view: AdmonitionFormView) {
    return renderCard('admonition-form', { ...view, noUnit: !view.unit, noInitiator: !view.initiator });
  },
  admonitionStep(view: AdmonitionStepFormView) {
    return renderCard('admonition-step-form', { ...view, [view.step]: true });
  },
};
