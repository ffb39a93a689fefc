import { DOCUMENT_KIND_NAMES, DOCUMENT_STATE_NAMES } from '../../domain/documents/document.js';
import type {
  DocumentCardPresenter,
  DocumentView,
  DraftFormView,
  ItemFormView,
  ScheduleFormView,
} from '../../workflows/documents/views.js';
import { joinMarkdown, type Markdown, md } from '../../workflows/markdown.js';
import type { CardJson } from '../../workflows/ports.js';
import { DRAFT_KINDS, documentButtons } from './buttons/document-buttons.js';
import { capped, clip, PERSON_OPTIONS_CAP, partName } from './limits.js';
import { renderCard } from './template.js';

/** Items shown per page with their buttons (each row is 8 components); the rest are a tap away. */
const ITEMS_PER_PAGE = 10;
/** How much of an item, list line or participant list the card shows; the .docx has it all. */
const ITEM_CHARS = 150;
const SECTION_LINES = 15;
/** List lines are short; a plan's or report's paragraphs get more room, with fewer lists on the card. */
const sectionLineChars = (view: DocumentView) => (view.kind === 'fourLists' ? 100 : 300);
const PARTICIPANTS = 30;

const STATE_COLORS = { drafting: 'blue', pendingApproval: 'orange', published: 'green' } as const;

function facts(view: DocumentView): Markdown {
  const meeting = view.meeting;
  return joinMarkdown([
    meeting
      ? md`**会议**：${meeting.kindName}${meeting.convener ? md`（召集方：${meeting.convener}）` : ''}`
      : md`**文件**：${DOCUMENT_KIND_NAMES[view.kind]}`,
    !!view.waterBodyName && md`**河湖**：${view.waterBodyName}`,
    !!meeting && md`**时间**：${meeting.when}`,
    !!meeting && md`**地点**：${meeting.place}`,
    !!meeting && md`**参会人员**：${meeting.participants}`,
    md`**起草**：${view.drafterName} · **审定**：${view.approverName}`,
    !!view.number && md`**文号**：${view.number}（${view.publishedOn ?? ''}以区总河长办公室名义印发）`,
  ]);
}

function participantsText(names: string): string {
  const { shown, more } = capped(names.split('、'), PARTICIPANTS);
  return `${shown.join('、')}${more > 0 ? ` 等 ${shown.length + more} 人` : ''}`;
}

/**
 * The view cut to what one card can hold (30 KB, 200 components): one page of items, long
 * texts cut, list sections and attachments capped. The whole document is in its .docx.
 */
function bounded(full: DocumentView): {
  view: DocumentView;
  page: number;
  pages: number;
  sectionsMore: number[];
  attachmentsMore: number;
} {
  const pages = Math.max(1, Math.ceil(full.items.length / ITEMS_PER_PAGE));
  const page = Math.min(Math.max(1, full.page ?? 1), pages);
  const sections = full.sections.map((s) => capped(s.lines, SECTION_LINES));
  const attachments = capped(full.attachments, 10);
  return {
    view: {
      ...full,
      meeting: full.meeting && { ...full.meeting, participants: participantsText(full.meeting.participants) },
      items: full.items
        .slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE)
        .map((i) => ({ ...i, text: clip(i.text, ITEM_CHARS) })),
      sections: full.sections.map((s, k) => ({
        heading: s.heading,
        lines: (sections[k]?.shown ?? []).map((l) => clip(l, sectionLineChars(full))),
      })),
      attachments: attachments.shown.map((a) => clip(a, 60)),
    },
    page,
    pages,
    sectionsMore: sections.map((s) => s.more),
    attachmentsMore: attachments.more,
  };
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
    if (isMinutes)
      return '会上或会后，在本卡片所在话题中以“议定：”开头回复即记录议定事项（一行一项，写明责任单位和完成时限）；也可发送“/议定 内容”。';
    if (view.kind === 'fourLists') return '在本卡片所在话题中以“任务：”开头回复即添加任务；上传文件即附在草稿中。';
    return '在本卡片所在话题中上传文件即附在草稿中。';
  }
  if (view.state === 'drafting') return `${view.drafterName}正在起草，起草完成后报${view.approverName}审定。`;
  if (view.state === 'pendingApproval')
    return `草稿已提交${view.approverName}审定；审定通过后以区总河长办公室名义印发。`;
  if (isMinutes || view.kind === 'fourLists') {
    return `已印发，每项${isMinutes ? '议定事项' : '任务'}已交办责任单位并跟踪督办，办结情况报告${view.approverName}，抄送区河长制办公室。`;
  }
  return '已以区总河长办公室名义印发。';
}

export function documentCard(full: DocumentView): CardJson {
  const { view, page, pages, sectionsMore, attachmentsMore } = bounded(full);
  const cancelled = view.meeting?.cancelled ?? false;
  // Drafting buttons on the drafting unit's copies only, approval on the approver's (the taps are checked anyway).
  const drafting = view.state === 'drafting' && !cancelled && view.drafts;
  const isMinutes = view.kind === 'minutes';
  const itemName = isMinutes ? '议定事项' : '任务清单';
  return renderCard('document', {
    title: view.title,
    subtitle: view.number ?? DOCUMENT_KIND_NAMES[view.kind],
    color: cancelled ? 'grey' : STATE_COLORS[view.state],
    // Header templates know 'grey'; text_tag colours do not (they call it 'neutral').
    tagColor: cancelled ? 'neutral' : STATE_COLORS[view.state],
    stateName: cancelled ? '会议已取消' : DOCUMENT_STATE_NAMES[view.state],
    facts: facts(view),
    returned: view.lastReturn ? `${view.lastReturn.byName}（${view.lastReturn.on}）：${view.lastReturn.comment}` : '',
    itemsHeading: `${itemName}（${full.items.length} 项${pages > 1 ? `，第 ${page}/${pages} 页` : ''}）`,
    itemsEmpty: full.items.length === 0 ? md`\n<font color='grey'>尚无${itemName}。</font>` : '',
    items: view.items.map((i) => ({
      text: itemLine(i),
      buttons: drafting
        ? [
            {
              label: i.missing ? '补全' : '修改',
              style: i.missing ? 'primary' : 'default',
              value: documentButtons.itemForm.value({ id: view.id, v: view.version, n: i.n }),
            },
            {
              label: '删除',
              style: 'danger',
              value: documentButtons.removeItem.value({ id: view.id, v: view.version, n: i.n }),
            },
          ]
        : undefined,
    })),
    pager:
      pages > 1
        ? [
            ...(page > 1 ? [{ label: '上一页', value: documentButtons.view.value({ id: view.id, p: page - 1 }) }] : []),
            ...(page < pages
              ? [
                  {
                    label: `下一页（${page + 1}/${pages}）`,
                    value: documentButtons.view.value({ id: view.id, p: page + 1 }),
                  },
                ]
              : []),
          ]
        : undefined,
    sectionsText: joinMarkdown(
      view.sections
        .map((s, k) => ({ ...s, more: sectionsMore[k] ?? 0 }))
        .filter((s) => s.lines.length > 0)
        .map((s) =>
          joinMarkdown([
            md`**${s.heading}**\n${joinMarkdown(s.lines.map((l, k) => md`${k + 1}. ${l}`))}`,
            s.more > 0 &&
              md`<font color='grey'>另有 ${s.more} 项，${drafting ? '提交审定后随附的 .docx 文件中有全文' : '全文见随附的 .docx 文件'}</font>`,
          ]),
        ),
    ),
    attachments: `${view.attachments.join('、')}${attachmentsMore > 0 ? ` 等 ${view.attachments.length + attachmentsMore} 个` : ''}`,
    draftButtons: drafting
      ? [
          {
            label: isMinutes ? '记录议定事项' : '添加任务',
            style: 'default',
            value: documentButtons.itemForm.value({ id: view.id, v: view.version }),
          },
          {
            label: '提交审定',
            style: 'primary',
            value: documentButtons.submit.value({ id: view.id, v: view.version }),
          },
          ...(view.meeting?.upcoming
            ? [{ label: '取消会议', style: 'danger', value: documentButtons.cancelMeeting.value({ id: view.id }) }]
            : []),
        ]
      : undefined,
    approval:
      view.state === 'pendingApproval' && view.approves
        ? {
            approve: documentButtons.approve.value({ id: view.id, v: view.version }),
            return: documentButtons.return.value({ id: view.id, v: view.version }),
          }
        : undefined,
    footer: footer(view, cancelled, drafting),
  });
}

/**
 * 会议通知: what attendees and the water body's chat see of a meeting until its minutes are
 * published: when, where, who attends, who organises. Drafting is the drafting unit's, on its
 * own copy; once published, this copy shows the minutes.
 */
export function meetingNoticeCard(view: DocumentView & { meeting: NonNullable<DocumentView['meeting']> }): CardJson {
  const meeting = view.meeting;
  const stateName = meeting.cancelled
    ? '会议已取消'
    : meeting.upcoming
      ? '待召开'
      : view.state === 'pendingApproval'
        ? '纪要审定中'
        : '纪要起草中';
  return renderCard('meeting-notice', {
    title: `${meeting.title}通知`,
    subtitle: meeting.kindName,
    color: meeting.cancelled ? 'grey' : 'blue',
    tagColor: meeting.cancelled ? 'neutral' : meeting.upcoming ? 'blue' : 'orange',
    stateName,
    facts: joinMarkdown([
      md`**会议**：${meeting.title}${meeting.convener ? md`（召集方：${meeting.convener}）` : ''}`,
      !!view.waterBodyName && md`**河湖**：${view.waterBodyName}`,
      md`**时间**：${meeting.when}`,
      md`**地点**：${meeting.place}`,
      md`**参会人员**：${participantsText(meeting.participants)}`,
      md`**组织单位**：${meeting.organiserName}`,
    ]),
    footer: meeting.cancelled
      ? '会议已取消。'
      : `${meeting.upcoming ? '请准时参加。' : ''}会议纪要由${view.drafterName}起草，报${view.approverName}审定后以区总河长办公室名义印发，届时本卡片显示印发的纪要。`,
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
    submitValue: documentButtons.saveItem.value({
      id: view.id,
      v: view.version,
      ...(view.n === undefined ? {} : { n: view.n }),
    }),
  });
}

export function scheduleFormCard(view: ScheduleFormView): CardJson {
  // A person picker without options offers only the chat's members; the directory's people are
  // listed while they fit (each option is a component; see sanction-cards.ts for the doc).
  const listed = view.personOpenIds.length > 0 && view.personOpenIds.length <= PERSON_OPTIONS_CAP;
  return renderCard('meeting-schedule', {
    ...view,
    kind: view.kind ?? '',
    noKind: !view.kind,
    personOptions: listed ? view.personOpenIds : undefined,
    chatPeopleOnly: !listed,
    peopleHint: listed ? '' : '其他参会人员只能从本群成员中选择；请通过“参会单位”通知其他单位的人员。',
  });
}

const DRAFT_FIELDS = {
  fourLists: [
    { name: 'goals', label: '目标清单', placeholder: '一行一项，例如：水质稳定达到Ⅱ类' },
    { name: 'problems', label: '问题清单', placeholder: '一行一项，例如：滨河路段岸坡垮塌' },
    {
      name: 'tasks',
      label: '任务清单',
      placeholder: '一行一项，写明责任单位和完成时限，例如：永和镇6月30日前完成岸坡修复',
    },
    { name: 'responsibilities', label: '责任清单', placeholder: '一行一项，例如：区水务局负责河道管理范围划定' },
  ],
  waterBodyPlan: [{ name: 'body', label: '方案正文', placeholder: '管理保护目标、主要任务、保障措施……' }],
  healthReport: [{ name: 'body', label: '报告摘要', placeholder: '评价范围、指标、结论和建议……' }],
} as const;

const PART_NUMBERS = ['一', '二', '三', '四', '五'];

/**
 * An input takes at most 1,000 characters (limits.ts), so a longer text is typed into
 * several inputs (`body`, `body_2` …, see partName), joined on submit; a longer document still is uploaded as
 * a file in the draft card's thread.
 */
export const DRAFT_INPUT_PARTS = { goals: 2, problems: 2, tasks: 2, responsibilities: 2, body: 5 } as const;

/** Minutes are drafted from their meeting's card, never from the drafting form. */
function draftKind(kind: DraftFormView['kind']): (typeof DRAFT_KINDS)[number] {
  if (kind === 'minutes') throw new TypeError('minutes are drafted from their meeting, not the drafting form');
  return kind;
}

export function draftFormCard(view: DraftFormView): CardJson {
  const kind = view.kind === 'minutes' ? 'waterBodyPlan' : view.kind;
  const parts = (n: number) => (kind === 'healthReport' ? Math.min(n, 2) : n);
  const fields = DRAFT_FIELDS[kind].flatMap((f) =>
    Array.from({ length: parts(DRAFT_INPUT_PARTS[f.name]) }, (_, k) => ({
      name: partName(f.name, k + 1),
      label: k === 0 ? `${f.label}（${PART_NUMBERS[k]}）` : `${f.label}（${PART_NUMBERS[k]}，接上文，可不填）`,
      placeholder: k === 0 ? f.placeholder : '上一栏写满 1000 字后接着写在这里',
      rows: k === 0 ? 4 : 2,
    })),
  );
  return renderCard('document-draft-form', {
    kindName: DOCUMENT_KIND_NAMES[view.kind],
    waterBodyName: view.waterBodyName,
    year: view.year,
    fields,
    submitValue: documentButtons.create.value({ k: draftKind(view.kind), w: view.waterBodyId }),
    hint:
      view.kind === 'fourLists'
        ? '每栏最多 1000 字，写不下的接着写在下一栏。任务清单中的每项任务印发后都将交办责任单位并跟踪督办，请写明责任单位和完成时限；缺少的可在草稿卡片上补全；生成草稿后还可在卡片话题中以“任务：”开头逐条补充任务，或上传完整文件。'
        : '每栏最多 1000 字，写不下的接着写在下一栏；更长的文本，请先填写摘要生成草稿，再把完整的 .docx 或 .txt 文件回复在草稿卡片所在话题中，即附在草稿中。生成草稿后报区级河湖长审定，以区总河长办公室名义印发。',
  });
}

export const documentCards: DocumentCardPresenter = {
  document: documentCard,
  meetingNotice: meetingNoticeCard,
  itemForm: itemFormCard,
  scheduleForm: scheduleFormCard,
  draftForm: draftFormCard,
};
