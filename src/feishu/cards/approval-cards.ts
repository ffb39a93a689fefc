import type { ApprovalCardPresenter, ApprovalView } from '../../workflows/approvals/views.js';
import { joinMarkdown, md } from '../../workflows/markdown.js';
import { valueOf } from './buttons/intents.js';
import { renderCard } from './template.js';

const MARKS = { done: '✅', current: '👉', todo: '⬜' } as const;

/** The card of a record on an approval chain (cards/approval.json). */
export const approvalCards: ApprovalCardPresenter = {
  approval(view: ApprovalView) {
    const waiting = !!view.passLabel;
    return renderCard('approval', {
      id: view.id,
      version: view.version,
      title: view.title,
      subtitle: view.subtitle,
      color: view.published ? 'green' : view.lastReturn ? 'orange' : 'blue',
      body: view.body,
      steps: joinMarkdown(
        view.steps.map(
          (s) => md`${MARKS[s.state]} ${s.name}${s.note ? md`<font color='grey'>（${s.note}）</font>` : ''}`,
        ),
      ),
      returnText: view.lastReturn
        ? md`<font color='red'>**退回意见**（${view.lastReturn.byName}，${view.lastReturn.on}，${view.lastReturn.stepName}）：${view.lastReturn.comment}</font>`
        : '',
      canSubmit: view.canSubmit,
      canReturn: waiting && view.canReturn,
      publishOnly: waiting && !view.canReturn,
      passLabel: view.passLabel ?? '',
      extras: view.extras.map((b) => ({ label: b.label, value: valueOf(b.intent) })),
      footer: view.footer,
    });
  },
};
