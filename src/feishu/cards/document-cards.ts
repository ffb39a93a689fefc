import { DOCUMENT_KIND_NAMES, DOCUMENT_STATE_NAMES } from '../../domain/documents/document.js';
import type { DocumentCardPresenter, DocumentView, DraftFormView, ItemFormView, ScheduleFormView } from '../../workflows/documents/views.js';
import { joinMarkdown, type Markdown, md } from '../../workflows/markdown.js';
import type { CardJson } from '../../workflows/ports.js';
import { renderCard } from './template.js';

const STATE_COLORS = { drafting: 'blue', pendingApproval: 'orange', published: 'green' } as const;

function facts(view: DocumentView): Markdown {
  const meeting = view.meeting;
  return joinMarkdown([
    meeting ? md`**会议**：${meeting.kindName}${meeting.convener ? md`（召集方：${meeting.convener}）` : ''}` : md`**文件**：${DOCUMENT_KIND_NAMES[view.kind]}`,
    !!view.waterBodyName && md`**河湖**：${view.waterBodyName}`,
    !!meeting && md`**时间**：${meeting.when}`,
    !!meeting && md`**地点**：${meeting.place}`,
    !!meeting && md`**参会人员**：${meeting.participants}`,
    md`**起草**：${view.drafterName} · **审定**：${view.approverName}`,
    !!view.number && md`**文号**：${view.number}（${view.publishedOn ?? ''}以区总河长办公室名义印发）`,
  ]);
}

function itemLine(item: DocumentView['items'][number]): Markdown {
  const tail = joinMarkdown(
    [
      item.unitName ? md`责任单位：${item.unitName}` : md`<font color='red'>缺责任单位</font>`,
      item.deadline ? md`完成时限：${item.deadline}` : md`<font color='red'>缺完成时限</font>`,
      !!item.issueNumber && md`已交办：${item.issueNumber}`,
    ],
    ' · ',
  );
  return md`${item.n}. ${item.text}\n<font color='grey'>${tail}</font>`;
}

/** What the reader can do next, in one grey line. */
function footer(view: DocumentView, cancelled: boolean, drafting: boolean): string {
  const isMinutes = view.kind === 'minutes';
  if (cancelled) return '会议已取消。';
  if (drafting) {
    if (isMinutes) return '会上或会后，在本卡片所在话题中以“议定：”开头回复即记录议定事项（一行一项，写明责任单位和完成时限）；也可发送“/议定 内容”。';
    if (view.kind === 'fourLists') return '在本卡片所在话题中以“任务：”开头回复即添加任务；上传文件即附在草稿中。';
    return '在本卡片所在话题中上传文件即附在草稿中。';
  }
  if (view.state === 'pendingApproval') return `草稿已提交${view.approverName}审定；审定通过后以区总河长办公室名义印发。`;
  if (isMinutes || view.kind === 'fourLists') {
    return `已印发，每项${isMinutes ? '议定事项' : '任务'}已交办责任单位并跟踪督办，办结情况报告${view.approverName}，抄送区河长制办公室。`;
  }
  return '已以区总河长办公室名义印发。';
}

export function documentCard(view: DocumentView): CardJson {
  const cancelled = view.meeting?.cancelled ?? false;
  const drafting = view.state === 'drafting' && !cancelled;
  const isMinutes = view.kind === 'minutes';
  const itemName = isMinutes ? '议定事项' : '任务清单';
  const item = (type: string, n: number) => ({ a: type, id: view.id, v: view.version, n });
  return renderCard('document', {
    title: view.title,
    subtitle: view.number ?? DOCUMENT_KIND_NAMES[view.kind],
    color: cancelled ? 'grey' : STATE_COLORS[view.state],
    stateName: cancelled ? '会议已取消' : DOCUMENT_STATE_NAMES[view.state],
    facts: facts(view),
    returned: view.lastReturn ? `${view.lastReturn.byName}（${view.lastReturn.on}）：${view.lastReturn.comment}` : '',
    itemsHeading: `${itemName}（${view.items.length} 项）`,
    itemsEmpty: view.items.length === 0 ? md`\n<font color='grey'>尚无${itemName}。</font>` : '',
    items: view.items.map((i) => ({
      text: itemLine(i),
      buttons: drafting
        ? [
            { label: i.missing ? '补全' : '修改', style: i.missing ? 'primary' : 'default', value: item('doc.itemForm', i.n) },
            { label: '删除', style: 'danger', value: item('doc.removeItem', i.n) },
          ]
        : undefined,
    })),
    sectionsText: joinMarkdown(
      view.sections.filter((s) => s.lines.length > 0).map((s) => md`**${s.heading}**\n${joinMarkdown(s.lines.map((l, k) => md`${k + 1}. ${l}`))}`),
    ),
    attachments: view.attachments.join('、'),
    fullText: view.text ?? '',
    fullTextTitle: view.state === 'published' ? '全文' : '草稿全文',
    draftButtons: drafting
      ? [
          { label: isMinutes ? '记录议定事项' : '添加任务', style: 'default', value: { a: 'doc.itemForm', id: view.id, v: view.version } },
          { label: '提交审定', style: 'primary', value: { a: 'doc.submit', id: view.id, v: view.version } },
          ...(view.meeting?.upcoming ? [{ label: '取消会议', style: 'danger', value: { a: 'meeting.cancel', id: view.id } }] : []),
        ]
      : undefined,
    approval: view.state === 'pendingApproval' ? { approve: { a: 'doc.approve', id: view.id, v: view.version }, return: { a: 'doc.return', id: view.id, v: view.version } } : undefined,
    footer: footer(view, cancelled, drafting),
  });
}

export function itemFormCard(view: ItemFormView): CardJson {
  return renderCard('document-item-form', {
    heading: view.n === undefined ? `记录${view.itemLabel}` : `第${view.n}项${view.itemLabel}`,
    title: view.title,
    itemLabel: view.itemLabel,
    id: view.id,
    text: view.text,
    unit: view.unit ?? '',
    noUnit: !view.unit,
    deadline: view.deadline,
    unitOptions: view.unitOptions,
    submitValue: { a: 'doc.saveItem', id: view.id, v: view.version, ...(view.n === undefined ? {} : { n: view.n }) },
  });
}

export function scheduleFormCard(view: ScheduleFormView): CardJson {
  return renderCard('meeting-schedule', { ...view, kind: view.kind ?? '', noKind: !view.kind });
}

const DRAFT_FIELDS = {
  fourLists: [
    { name: 'goals', label: '目标清单', placeholder: '一行一项，例如：水质稳定达到Ⅱ类' },
    { name: 'problems', label: '问题清单', placeholder: '一行一项，例如：滨河路段岸坡垮塌' },
    { name: 'tasks', label: '任务清单', placeholder: '一行一项，写明责任单位和完成时限，例如：永和镇6月30日前完成岸坡修复' },
    { name: 'responsibilities', label: '责任清单', placeholder: '一行一项，例如：区水务局负责河道管理范围划定' },
  ],
  waterBodyPlan: [{ name: 'body', label: '方案正文（也可生成草稿后在卡片话题中上传文件）', placeholder: '管理保护目标、主要任务、保障措施……' }],
  healthReport: [{ name: 'body', label: '报告摘要（完整报告可在卡片话题中上传）', placeholder: '评价范围、指标、结论和建议……' }],
} as const;

export function draftFormCard(view: DraftFormView): CardJson {
  const kind = view.kind === 'minutes' ? 'waterBodyPlan' : view.kind;
  return renderCard('document-draft-form', {
    kindName: DOCUMENT_KIND_NAMES[view.kind],
    waterBodyName: view.waterBodyName,
    year: view.year,
    fields: DRAFT_FIELDS[kind],
    submitValue: { a: 'doc.create', k: view.kind, w: view.waterBodyId },
    hint: view.kind === 'fourLists' ? '任务清单中的每项任务印发后都将交办责任单位并跟踪督办，请写明责任单位和完成时限；缺少的可在草稿卡片上补全。' : '生成草稿后报区级河湖长审定，以区总河长办公室名义印发。',
  });
}

export const documentCards: DocumentCardPresenter = {
  document: documentCard,
  itemForm: itemFormCard,
  scheduleForm: scheduleFormCard,
  draftForm: draftFormCard,
};
