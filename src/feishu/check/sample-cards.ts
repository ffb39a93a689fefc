import type { CardJson } from '../../workflows/ports.js';
import { approvalCards } from '../cards/approval-cards.js';
import { directoryImportCard } from '../cards/directory-import-card.js';
import { documentCards } from '../cards/document-cards.js';
import { helpCard } from '../cards/help-card.js';
import { inspectionCards } from '../cards/inspection-cards.js';
import { issueCards } from '../cards/issue-cards.js';
import { listCards } from '../cards/list-cards.js';
import { patrolCards } from '../cards/patrol-cards.js';
import { planCards } from '../cards/plan-cards.js';
import { sanctionCards } from '../cards/sanction-cards.js';
import { statusCards } from '../cards/status-cards.js';

/**
 * Every card the bot sends, rendered by its real presenter with data a district would have
 * (long names, several rows, full forms), so `npm run feishu:check -- --chat oc_…` can send
 * each to a test chat and Feishu itself says which it refuses. Ids are made up: taps on
 * these cards answer that the record no longer exists. People (@-mentions, person pickers)
 * must be real: Feishu refuses a card naming an unknown user (230099 / 100290), so the
 * caller passes open_ids from the directory, and without them the cards mention nobody.
 */

export interface SampleCard {
  /** How the report names it: the template and the situation. */
  name: string;
  card: CardJson;
}

const townships = ['永和镇', '共安彝族乡', '吉星镇', '金河镇', '和平彝族乡', '乌斯河镇'];
const units = [...townships, '区水务局', '区生态环境局', '区自然资源局', '区农业农村局', '区住建局'];
const options = (labels: string[]) => labels.map((label, i) => ({ value: `u${i + 1}`, label }));
const waters = options(['大渡河（金口河段）', '野牛河', '白熊沟', '核桃坪沟', '金河', '顺河沟']);
const issueBase = {
  id: 'check-issue',
  version: 3,
  number: '金口河〔2026〕第0042号',
  waterBodyName: '大渡河（金口河段）',
  townshipName: '永和镇',
  place: '永和镇胜利村二组河段左岸，距大桥约 300 米',
  description: '河岸堆放建筑垃圾约 20 立方米，部分已滑入河道，雨季前须清运并恢复岸坡。',
  category: '河岸' as const,
  urgency: 'expedited' as const,
  sourceName: '巡河发现',
  foundByName: '李某某',
  foundOn: '11月28日',
};

function patrolSamples(people: string[]): SampleCard[] {
  return [
    {
      name: 'patrol-reminder（巡河提醒，群内 @河湖长）',
      card: patrolCards.reminder({
        chiefName: '李某某',
        mentionOpenId: people[0],
        waterBodyName: '大渡河（金口河段）',
        periodLabel: '2026年11月',
        deadline: '11月30日',
        daysLeft: 2,
        yearDone: 10,
        yearTarget: 12,
        dutyKey: 'check-duty',
        periodKey: '2026-11',
        keyProblems: ['胜利村段岸坡垮塌', '砂石堆放侵占河道', '沿岸农家乐污水直排'],
        focus: ['核查上月交办的垃圾清运是否完成', '查看入河排污口标识牌'],
      }),
    },
    {
      name: 'patrol-form（记录巡河）',
      card: patrolCards.form({
        chiefName: '李某某',
        waterBodyName: '大渡河（金口河段）',
        dutyKey: 'check-duty',
        periodKey: '2026-11',
        today: '2026-11-28',
        focus: ['核查上月交办的垃圾清运是否完成'],
      }),
    },
    {
      name: 'patrol-overdue（巡河逾期）',
      card: patrolCards.overdue({
        chiefName: '李某某',
        waterBodyName: '大渡河（金口河段）',
        periodName: '2026年11月',
        dutyText: '区级河湖长每月至少巡河1次',
        dutyKey: 'check-duty',
        periodKey: '2026-11',
      }),
    },
    {
      name: 'patrol-overdue-digest（逾期汇总）',
      card: patrolCards.overdueDigest({
        date: '12月2日',
        items: Array.from(
          { length: 12 },
          (_, i) => `乡级河湖长 某某${i + 1} · ${waters[i % waters.length]?.label ?? ''} · 2026年11月未巡河`,
        ),
      }),
    },
    {
      name: 'duty-list（我的巡河任务）',
      card: patrolCards.dutyList({
        personName: '李某某',
        duties: waters.slice(0, 4).map((w, i) => ({
          label: `${w.label} · 每月1次`,
          status: i === 0 ? '本月已巡 1 次' : '本月未巡',
          dutyKey: `check-duty-${i}`,
          periodKey: '2026-11',
          done: i === 0,
        })),
      }),
    },
    {
      name: 'liaison-request（联络员单位明查暗访）',
      card: patrolCards.liaisonRequest({
        unitName: '区水务局',
        chiefName: '李某某',
        waterBodyName: '大渡河（金口河段）',
        waterBodyId: 'check-water',
        periodKey: '2026-11',
        deadline: '11月20日',
      }),
    },
  ];
}

function issueSamples(people: string[]): SampleCard[] {
  return [
    {
      name: 'issue（问题卡片，整改中）',
      card: issueCards.issue({
        ...issueBase,
        state: 'rectifying',
        assigneeName: '永和镇',
        supervisorNames: ['区水务局', '区住建局'],
        deadline: '12月13日',
        deadlineStatus: '剩14天',
        overdue: false,
        requirement: '12月13日前清运完毕，恢复岸坡植被，并上传整改前后照片。',
        progress: [
          { when: '11月29日', byName: '王某某', note: '已联系施工方，明日开始清运。', photos: 2 },
          { when: '12月1日', byName: '王某某', note: '已清运约一半，剩余部分本周内完成。', photos: 3 },
        ],
        history: [
          { when: '11月28日', byName: '李某某', text: '登记问题' },
          { when: '11月28日', byName: '钱某某', text: '交办永和镇，限期12月13日' },
          { when: '11月29日', byName: '王某某', text: '接收' },
        ],
        photos: 5,
        actions: ['progress', 'requestClose', 'requestExtension'],
        mentionOpenIds: people.slice(0, 1),
      }),
    },
    {
      name: 'issue-action-form（交办表单）',
      card: issueCards.form({
        id: 'check-issue',
        version: 3,
        number: issueBase.number,
        action: 'assign',
        summary: issueBase.description,
        proposedDate: '2026-12-18',
        unitOptions: options(units),
        departmentOptions: options(units.slice(6)),
        returnWindowHours: 24,
      }),
    },
    {
      name: 'issue-register（登记问题）',
      card: issueCards.register({ district: '金口河区', waterOptions: waters, townshipOptions: options(townships) }),
    },
    {
      name: 'issue-supervision（督办）',
      card: issueCards.supervision({
        kind: 'overdue',
        id: 'check-issue',
        number: issueBase.number,
        description: issueBase.description,
        waterBodyName: issueBase.waterBodyName,
        assigneeName: '永和镇',
        deadline: '12月13日',
        deadlineStatus: '已逾期2天',
        urgency: 'urgent',
        mentionOpenIds: people.slice(0, 1),
      }),
    },
    {
      name: 'issue-escalation（逾期问题建议提示或通报）',
      card: issueCards.escalation({
        noticeKey: 'check-notice',
        issueId: 'check-issue',
        number: issueBase.number,
        description: issueBase.description,
        waterBodyName: issueBase.waterBodyName,
        assigneeName: '永和镇',
        deadline: '12月13日',
        daysOverdue: 16,
        suggest: 'bulletin',
      }),
    },
    {
      name: 'issue-closing-report（销号报告）',
      card: issueCards.closingReport({
        number: issueBase.number,
        waterBodyName: issueBase.waterBodyName,
        place: issueBase.place,
        description: issueBase.description,
        sourceName: issueBase.sourceName,
        assigneeName: '永和镇',
        timeline: [
          { when: '11月28日', text: '登记' },
          { when: '11月28日', text: '交办永和镇' },
          { when: '12月10日', text: '申请销号' },
          { when: '12月11日', text: '核查通过，销号' },
        ],
        onTime: true,
        verifierName: '钱某某',
      }),
    },
  ];
}

function officeSamples(): SampleCard[] {
  return [
    {
      name: 'help（帮助）',
      card: helpCard({
        chatType: 'group',
        commands: [
          { usage: '/巡河', summary: '查看我的巡河任务并记录巡河', example: '/巡河' },
          { usage: '/登记', summary: '登记发现的问题', example: '/登记' },
          { usage: '/状态', summary: '全区或本单位的巡河、问题与议定事项', example: '/状态 永和镇' },
          { usage: '/逾期', summary: '逾期的巡河、问题和议定事项', example: '/逾期' },
          { usage: '/导出', summary: '导出台账', example: '/导出 问题 2026' },
        ],
      }),
    },
    {
      name: 'directory-import（名录导入结果）',
      card: directoryImportCard({
        title: '组织名录已导入',
        fileName: '金口河区河湖长名录.xlsx',
        format: 'xlsx',
        ok: true,
        lines: [
          '人员：新增 12，变更 0，移除 0，未变 0',
          '单位：新增 13，变更 0，移除 0，未变 0',
          '河湖：新增 6，变更 0，移除 0，未变 0',
        ],
      }),
    },
    {
      name: 'item-list（问题列表）',
      card: listCards.list({
        title: '逾期问题',
        subtitle: '截至 12月15日',
        color: 'red',
        summary: '共 8 项逾期，其中 3 项逾期超过 15 天。',
        rows: Array.from({ length: 8 }, (_, i) => ({
          text: `金口河〔2026〕第00${40 + i}号 · ${townships[i % townships.length] ?? ''} · 已逾期${i + 2}天`,
          button: { label: '查看', intent: { view: 'issue', id: `check-issue-${i}` } },
        })),
        footer: '另有 0 项，见 /导出',
      }),
    },
    ...statusSamples(),
    {
      name: 'approval（审批链）',
      card: approvalCards.approval({
        id: 'check-approval',
        version: 2,
        kindName: '考核结果',
        title: '2026年度河湖长制工作考核结果',
        subtitle: '区河长制办公室 · 11月30日提交',
        body: '共考核 6 个乡镇、5 个区级部门；优秀 3 个，合格 7 个，不合格 1 个。',
        steps: [
          { name: '区河长制办公室主任审核', state: 'done', note: '钱某某 11月30日' },
          { name: '主任会议', state: 'current' },
          { name: '区级总河长审定', state: 'todo' },
        ],
        canSubmit: false,
        passLabel: '通过',
        canReturn: true,
        published: false,
        extras: [],
        footer: '通过后进入下一环节；退回须填写意见。',
      }),
    },
    {
      name: 'plan-form（表扬激励方案）',
      card: planCards.planForm({
        kind: 'commendation',
        heading: '2026年度河湖长制工作表扬方案',
        year: 2026,
        title: '关于表扬2026年度河湖长制工作先进集体和个人的通报',
        plan: '根据年度考核结果，拟表扬先进集体 3 个、先进个人 5 名。',
        list: '永和镇\n吉星镇\n区水务局',
        listLabel: '拟表扬名单（每行一个）',
      }),
    },
  ];
}

function statusSamples(): SampleCard[] {
  const months = ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
  const status = {
    scope: '金口河区',
    asOf: '12月1日',
    monthName: '本月',
    yearName: '本年',
    goLiveNote: '',
    patrols: [
      {
        roleName: '区级河湖长',
        periodName: '2026年11月',
        fulfilled: 5,
        required: 6,
        yearFulfilled: 60,
        yearRequired: 66,
      },
      {
        roleName: '乡级河湖长',
        periodName: '2026年第四季度',
        fulfilled: 20,
        required: 24,
        yearFulfilled: 88,
        yearRequired: 96,
      },
    ],
    issues: { open: 14, overdue: 3, openedThisMonth: 6, closedThisMonth: 9, awaitingAssignment: 1 },
    decisions: { open: 11, overdue: 2, dueWithinWeek: 4 },
    approvalsWaiting: 2,
    meetings: [{ when: '12月8日 09:30', title: '区级河湖长制工作会议' }],
    charts: {
      patrolRates: months.flatMap((month) => [
        { month, level: '区级', rate: 92 },
        { month, level: '乡级', rate: 85 },
      ]),
      issuesByMonth: months.flatMap((month) => [
        { month, kind: '新增' as const, count: 6 },
        { month, kind: '销号' as const, count: 5 },
      ]),
      openByTownship: townships.flatMap((township) => [
        { township, kind: '在办' as const, count: 2 },
        { township, kind: '逾期' as const, count: 1 },
      ]),
    },
  };
  return [
    { name: 'status（/状态）', card: statusCards.status(status) },
    {
      name: 'status（月度简报）',
      card: statusCards.digest({
        ...status,
        month: '2026年11月',
        notable: ['大渡河岸坡垃圾问题按期销号', '白熊沟问题逾期16天，已建议通报'],
      }),
    },
  ];
}

function accountabilitySamples(people: string[]): SampleCard[] {
  const unitOptions = options(units);
  // Built apart from the call: the form is moving from a static list of people to a person
  // picker, and a variable carrying both fields fits either shape of the view.
  const admonitionView = {
    unitOptions,
    initiatorOptions: options(['钱某某', '孙某某']),
    personOptions: options(['王某某', '赵某某', '周某某']),
    personOpenIds: people,
  };
  return [
    {
      name: 'inspection（督查卡片）',
      card: inspectionCards.inspection({
        id: 'check-inspection',
        version: 2,
        title: '2026年第四季度河湖长制工作督查',
        organiserName: '区河长制办公室',
        scopeName: '全区',
        period: '2026年10月—12月',
        findings: townships.slice(0, 3).map((township, i) => ({
          n: i + 1,
          aspectName: '履职情况',
          text: `${township}河长公示牌信息未更新`,
          waterName: waters[i]?.label ?? '',
          townshipName: township,
          departmentName: '区水务局',
          deadline: '12月31日',
          issueId: `check-issue-${i}`,
          number: `金口河〔2026〕第01${i}0号`,
          stateName: '整改中',
          overdue: false,
          closed: false,
        })),
      }),
    },
    { name: 'inspection-form（发起督查）', card: inspectionCards.form({ waterOptions: waters, today: '2026-12-01' }) },
    {
      name: 'inspection-finding-form（记录督查发现）',
      card: inspectionCards.findingForm({
        id: 'check-inspection',
        version: 2,
        title: '2026年第四季度河湖长制工作督查',
        waterOptions: waters,
        townshipOptions: options(townships),
        departmentOptions: options(units.slice(6)),
      }),
    },
    {
      name: 'sanction（约谈）',
      card: sanctionCards.sanction({
        id: 'check-sanction',
        version: 2,
        kind: 'admonition',
        kindName: '约谈',
        praise: false,
        unitName: '永和镇',
        reason: '白熊沟问题逾期 16 天未整改',
        issuedByName: '钱某某',
        issuedOn: '12月15日',
        issues: [
          { id: 'check-issue', number: issueBase.number, description: issueBase.description, stateName: '整改中' },
        ],
        admonition: {
          stage: 'scheduled',
          stageName: '已安排',
          initiatorName: '钱某某',
          interviewee: '永和镇镇长',
          when: '12月20日 10:00',
          place: '区水务局三楼会议室',
          participantNames: '钱某某、孙某某',
        },
      }),
    },
    { name: 'sanction-notice-form（提示或通报）', card: sanctionCards.noticeForm({ kind: 'bulletin', unitOptions }) },
    { name: 'admonition-form（约谈表单）', card: sanctionCards.admonitionForm(admonitionView) },
    {
      name: 'admonition-step-form（约谈记录）',
      card: sanctionCards.admonitionStep({
        id: 'check-sanction',
        version: 2,
        step: 'record',
        heading: '记录约谈情况',
        unitName: '永和镇',
      }),
    },
  ];
}

function documentSamples(people: string[]): SampleCard[] {
  const meeting = {
    id: 'check-meeting',
    title: '2026年总河长会议',
    kindName: '总河长会议',
    when: '12月8日 09:30',
    place: '区政府二楼会议室',
    participants: '区级河湖长、各乡镇、各成员单位',
    convener: '区级总河长',
    organiserName: '区总河长办公室',
    cancelled: false,
    upcoming: false,
  };
  const scheduleView = {
    kindOptions: options(['总河长会议', '巡河现场会', '流域会议']),
    waterOptions: waters,
    unitOptions: options(units),
    personOpenIds: people,
    today: '2026-12-01',
  };
  return [
    {
      name: 'document（会议纪要）',
      card: documentCards.document({
        id: 'check-document',
        version: 2,
        kind: 'minutes',
        state: 'pendingApproval',
        title: '区级河湖长制工作会议纪要',
        meeting,
        drafterName: '孙某某',
        approverName: '钱某某',
        items: units.slice(0, 8).map((unitName, i) => ({
          n: i + 1,
          text: `${unitName}于月底前完成辖区河湖“四乱”问题排查并报送清单。`,
          unitName,
          deadline: '12月31日',
          missing: false,
        })),
        sections: [{ heading: '会议议定', lines: ['各乡镇加强冬季巡河。'] }],
        attachments: [],
        drafts: false,
        approves: true,
      }),
    },
    {
      name: 'meeting-notice（会议通知，参会人员）',
      card: documentCards.meetingNotice({
        id: 'check-document',
        version: 1,
        kind: 'minutes',
        state: 'drafting',
        title: '2026年总河长会议纪要',
        meeting: { ...meeting, upcoming: true },
        drafterName: '区总河长办公室',
        approverName: '张某某',
        items: [],
        sections: [],
        attachments: [],
        drafts: false,
        approves: false,
      }),
    },
    {
      name: 'document-item-form（议定事项）',
      card: documentCards.itemForm({
        id: 'check-document',
        version: 2,
        title: '区级河湖长制工作会议纪要',
        itemLabel: '议定事项',
        text: '',
        deadline: '2026-12-31',
        unitOptions: options(units),
      }),
    },
    {
      name: 'meeting-schedule（安排会议）',
      card: documentCards.scheduleForm(scheduleView),
    },
    {
      name: 'document-draft-form（一河一策）',
      card: documentCards.draftForm({
        kind: 'waterBodyPlan',
        waterBodyId: 'check-water',
        waterBodyName: '大渡河（金口河段）',
        year: 2026,
      }),
    },
  ];
}

/** Every card, in the order a district meets them; `openIds` are real people to mention and offer. */
export function sampleCards(openIds: string[] = []): SampleCard[] {
  const people = openIds.slice(0, 3);
  return [
    ...patrolSamples(people),
    ...issueSamples(people),
    ...officeSamples(),
    ...accountabilitySamples(people),
    ...documentSamples(people),
  ];
}
