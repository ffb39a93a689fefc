import type { Command } from '../../src/chat/commands/command.js';
import { approvalCards } from '../../src/feishu/cards/approval-cards.js';
import { directoryImportCard } from '../../src/feishu/cards/directory-import-card.js';
import { documentCards } from '../../src/feishu/cards/document-cards.js';
import { helpCard } from '../../src/feishu/cards/help-card.js';
import { inspectionCards } from '../../src/feishu/cards/inspection-cards.js';
import { issueCards } from '../../src/feishu/cards/issue-cards.js';
import { listCards } from '../../src/feishu/cards/list-cards.js';
import { patrolCards } from '../../src/feishu/cards/patrol-cards.js';
import { planCards } from '../../src/feishu/cards/plan-cards.js';
import { sanctionCards } from '../../src/feishu/cards/sanction-cards.js';
import { statusCards } from '../../src/feishu/cards/status-cards.js';
import { undeliveredCard } from '../../src/feishu/cards/undelivered-card.js';
import type { DocumentView } from '../../src/workflows/documents/views.js';
import type { IssueView } from '../../src/workflows/issues/views.js';
import { md } from '../../src/workflows/markdown.js';
import type { CardJson } from '../../src/workflows/ports.js';
import type { StatusView } from '../../src/workflows/status/views.js';

/**
 * Every card template rendered by its presenter with the largest data a district realistically
 * has (300 people, 40 water bodies, 60 overdue duties, minutes with 50 items, a 5,000-character
 * plan, a problem with 40 history entries and 30 long progress notes …). card-limits.test.ts checks
 * each stays inside Feishu's limits; buttons-wired.test.ts checks each button reaches a handler.
 */

// ---- a large district, as plain data -------------------------------------------------------

/** Chinese text of exactly `n` characters (3 bytes each in UTF-8, the worst case for size). */
export const han = (n: number, seed = '河') =>
  `${seed}岸堆放建筑垃圾约二十立方米需清运恢复岸坡原貌`.repeat(Math.ceil(n / 24)).slice(0, n);
export const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const id = (prefix: string, i: number) => `${prefix}_${String(i).padStart(24, '0')}`;

const people = range(300).map((i) => ({
  value: id('person', i),
  label: `人员${i}号`,
  openId: `ou_${String(i).padStart(32, 'a')}`,
}));
const waters = range(40).map((i) => ({ value: id('water', i), label: `第${i}号河流（某某镇至某某乡段）` }));
const townships = range(19).map((i) => ({ value: id('township', i), label: `某某彝族乡${i}` }));
const departments = range(30).map((i) => ({ value: id('dept', i), label: `区某某管理局${i}` }));
const units = [...townships, ...departments];
const today = '2026-11-29';

function issueView(overrides: Partial<IssueView> = {}): IssueView {
  return {
    id: id('issue', 1),
    version: 71,
    number: 'WT-2026-0421',
    state: 'rectifying',
    waterBodyName: waters[0]?.label,
    townshipName: townships[0]?.label,
    place: han(200),
    description: han(1000),
    category: '其他',
    urgency: 'urgent',
    sourceName: '区级河湖长巡河',
    foundByName: '人员1号',
    foundOn: '11月28日',
    assigneeName: townships[0]?.label,
    supervisorNames: departments.slice(0, 5).map((d) => d.label),
    deadline: '12月13日',
    deadlineStatus: '已逾期12天',
    overdue: true,
    requirement: han(1000),
    pendingExtension: { until: '12月31日', reason: han(1000), byName: '人员2号' },
    progress: range(30).map((i) => ({
      when: `11月${(i % 28) + 1}日 09:30`,
      byName: `人员${i}号`,
      note: han(500),
      photos: 9,
    })),
    history: range(40).map((i) => ({
      when: `11月${(i % 28) + 1}日 09:30`,
      byName: `人员${i}号`,
      text: `交办${townships[0]?.label}，整改要求：${han(200)}`,
    })),
    photos: 60,
    actions: ['progress', 'requestClose', 'requestExtension', 'approveExtension', 'rejectExtension'],
    mentionOpenIds: people.slice(0, 20).map((p) => p.openId),
    ...overrides,
  };
}

function documentView(overrides: Partial<DocumentView> = {}): DocumentView {
  return {
    id: id('doc', 1),
    version: 120,
    kind: 'minutes',
    state: 'drafting',
    title: `${waters[0]?.label}巡河现场会议纪要`,
    meeting: {
      id: id('meeting', 1),
      title: `${waters[0]?.label}${han(100)}`,
      kindName: '巡河现场会议',
      when: '2026年11月28日（星期六）09:30',
      place: han(100),
      participants: people
        .slice(0, 120)
        .map((p) => p.label)
        .join('、'),
      convener: '某某彝族乡',
      organiserName: departments[0]?.label ?? '',
      cancelled: false,
      upcoming: true,
    },
    waterBodyName: waters[0]?.label,
    drafterName: '区水务局',
    approverName: '人员1号',
    items: range(50).map((n) => ({
      n,
      text: han(1000),
      unitName: units[n % units.length]?.label,
      deadline: '2026年12月31日',
      missing: n % 3 === 0,
      issueNumber: n % 2 ? `WT-2026-0${n}` : undefined,
    })),
    sections: [],
    attachments: range(20).map((i) => `${han(40)}附件${i}.docx`),
    lastReturn: { byName: '人员1号', on: '11月29日', comment: han(1000) },
    // The drafting unit's and the approver's copy: every button there is.
    drafts: true,
    approves: true,
    ...overrides,
  };
}

const listLines = (n: number, chars: number) => range(n).map((i) => `${i}. ${han(chars)}`);

function statusView(): StatusView {
  const months = range(12).map((m) => `${m}月`);
  return {
    scope: '金口河区',
    asOf: '2026年11月29日',
    monthName: '本月',
    yearName: '本年',
    goLiveNote: '自启用日（3月2日）起',
    patrols: ['区级总河长', '区级河湖长', '乡级河湖长', '村级河湖长'].map((roleName) => ({
      roleName,
      periodName: '2026年11月',
      fulfilled: 57,
      required: 60,
      yearFulfilled: 600,
      yearRequired: 660,
    })),
    issues: { open: 140, overdue: 60, openedThisMonth: 35, closedThisMonth: 28, awaitingAssignment: 12 },
    decisions: { open: 80, overdue: 11, dueWithinWeek: 9 },
    approvalsWaiting: 6,
    meetings: range(30).map((i) => ({ when: `12月${i}日 09:30`, title: `${waters[i % 40]?.label}${han(60)}` })),
    charts: {
      patrolRates: months.flatMap((month) => ['区级', '乡级', '村级'].map((level) => ({ month, level, rate: 93 }))),
      issuesByMonth: months.flatMap((month) => (['新增', '销号'] as const).map((kind) => ({ month, kind, count: 17 }))),
      openByTownship: townships.flatMap((t) =>
        (['在办', '逾期'] as const).map((kind) => ({ township: t.label, kind, count: 4 })),
      ),
    },
  };
}

// ---- one or more renderings per template ---------------------------------------------------

export type Case = { name: string; card: () => CardJson };

/** Renderings per template; `commands` lists the bot's commands for the help card. */
export function largeDistrictCards(commands: () => readonly Command[]): Record<string, Case[]> {
  const t = { bot: { commands: { list: commands } } };
  return {
    'admonition-form': [
      {
        name: '/约谈 in a district of 300 people',
        card: () =>
          sanctionCards.admonitionForm({
            unitOptions: units,
            initiatorOptions: people.slice(0, 45),
            personOpenIds: people.map((p) => p.openId),
            unit: units[0]?.value,
          }),
      },
      {
        name: '/约谈 in a small district',
        card: () =>
          sanctionCards.admonitionForm({
            unitOptions: units,
            initiatorOptions: people.slice(0, 10),
            personOpenIds: people.slice(0, 40).map((p) => p.openId),
          }),
      },
    ],
    'admonition-step-form': (['record', 'review', 'refer'] as const).map((step) => ({
      name: `约谈 step ${step}`,
      card: () =>
        sanctionCards.admonitionStep({
          id: id('admonition', 1),
          version: 9,
          step,
          heading: '记录约谈情况',
          unitName: units[0]?.label ?? '',
        }),
    })),
    approval: [
      {
        name: 'a commendation plan of 5,000 characters with a long list, under review, returned once',
        card: () =>
          approvalCards.approval({
            id: id('approval', 1),
            version: 30,
            kindName: '表彰方案',
            title: '2026年度河湖长制工作表彰',
            subtitle: '待区总河长办公室主任会议审议',
            body: md`**工作方案**\n${han(5000)}\n\n**表彰名单**\n${listLines(60, 40).join('\n')}`,
            steps: ['区河长制办公室起草', '主任会议审议', '区级总河长审定', '印发'].map((name, i) => ({
              name,
              state: i < 1 ? 'done' : i === 1 ? 'current' : 'todo',
              note: han(60),
            })),
            lastReturn: { byName: '人员1号', on: '11月29日', stepName: '主任会议审议', comment: han(1000) },
            canSubmit: false,
            passLabel: '审议通过',
            canReturn: true,
            published: false,
            extras: [{ label: '导出考核明细', intent: { export: 'assessment', id: id('approval', 1) } }],
            footer: han(200),
          }),
      },
    ],
    'directory-import': [
      {
        name: 'a roster with 300 problems',
        card: () =>
          directoryImportCard({
            title: '名录有误，未导入',
            lines: listLines(300, 80),
            ok: false,
            fileName: `${han(60)}.xlsx`,
            format: 'xlsx',
          }),
      },
    ],
    'document-draft-form': (['fourLists', 'waterBodyPlan', 'healthReport'] as const).map((kind) => ({
      name: `起草 ${kind}`,
      card: () =>
        documentCards.draftForm({
          kind,
          waterBodyId: waters[0]?.value ?? '',
          waterBodyName: waters[0]?.label ?? '',
          year: 2026,
        }),
    })),
    'document-item-form': [
      {
        name: 'an item form with every unit',
        card: () =>
          documentCards.itemForm({
            id: id('doc', 1),
            version: 3,
            title: han(60),
            itemLabel: '议定事项',
            n: 50,
            text: han(1000),
            unit: units[0]?.value,
            deadline: today,
            unitOptions: units,
          }),
      },
    ],
    document: [
      { name: 'minutes with 50 long items, drafting', card: () => documentCards.document(documentView()) },
      { name: 'minutes with 50 long items, page 3', card: () => documentCards.document(documentView({ page: 3 })) },
      {
        name: 'minutes with 50 items, published',
        card: () =>
          documentCards.document(
            documentView({
              state: 'published',
              number: '金河总河办纪〔2026〕12号',
              publishedOn: '2026年12月1日',
              lastReturn: undefined,
            }),
          ),
      },
      {
        name: 'minutes with 50 items, pending approval',
        card: () => documentCards.document(documentView({ state: 'pendingApproval', lastReturn: undefined })),
      },
      {
        name: 'a 5,000-character 一河一策 plan, pending approval',
        card: () =>
          documentCards.document(
            documentView({
              kind: 'waterBodyPlan',
              state: 'pendingApproval',
              meeting: undefined,
              items: [],
              sections: [{ heading: '一河（湖）一策方案', lines: han(5000).match(/.{1,100}/g) ?? [] }],
            }),
          ),
      },
      {
        name: 'a published 四张清单 with long lists',
        card: () =>
          documentCards.document(
            documentView({
              kind: 'fourLists',
              state: 'published',
              number: '金河总河办发〔2026〕3号',
              publishedOn: '2026年3月1日',
              meeting: undefined,
              lastReturn: undefined,
              items: range(60).map((n) => ({
                n,
                text: han(300),
                unitName: units[n % units.length]?.label,
                deadline: '2026年6月30日',
                missing: false,
                listName: '任务清单',
                issueNumber: `WT-2026-0${n}`,
              })),
              sections: ['目标清单', '问题清单', '责任清单'].map((heading) => ({ heading, lines: listLines(60, 150) })),
            }),
          ),
      },
    ],
    'meeting-notice': [
      {
        name: 'a meeting notice to 120 attendees, with a long place and title',
        card: () => {
          const view = documentView({ drafts: false, approves: false });
          return documentCards.meetingNotice({ ...view, meeting: view.meeting! });
        },
      },
      {
        name: 'a cancelled meeting whose minutes were never drafted',
        card: () => {
          const view = documentView({ drafts: false, approves: false, items: [] });
          return documentCards.meetingNotice({
            ...view,
            meeting: { ...view.meeting!, cancelled: true, upcoming: false },
          });
        },
      },
    ],
    'duty-list': [
      {
        name: 'a township chief with many duties',
        card: () =>
          patrolCards.dutyList({
            personName: '人员1号',
            duties: range(60).map((i) => ({
              label: `${waters[i % 40]?.label} · 乡级河湖长`,
              status: `2026年11月 已巡河 0/2 次，截止11月30日`,
              dutyKey: id('duty', i),
              periodKey: '2026-11',
              done: i % 2 === 0,
            })),
          }),
      },
    ],
    help: [
      {
        name: 'help for a River Chief Office member',
        card: () =>
          helpCard({
            chatType: 'group',
            commands: t.bot.commands.list().map((c) => ({
              usage: [c.usage, ...c.aliases.map((a) => `/${a}`)].join(' 或 '),
              summary: c.summary,
              example: c.example,
            })),
          }),
      },
    ],
    'inspection-finding-form': [
      {
        name: 'a finding form over the whole district',
        card: () =>
          inspectionCards.findingForm({
            id: id('inspection', 1),
            version: 40,
            title: han(60),
            waterOptions: waters,
            townshipOptions: townships,
            departmentOptions: departments,
          }),
      },
      {
        name: 'a finding form without departments',
        card: () =>
          inspectionCards.findingForm({
            id: id('inspection', 1),
            version: 40,
            title: han(60),
            waterOptions: waters,
            townshipOptions: townships,
            departmentOptions: [],
          }),
      },
    ],
    'inspection-form': [
      { name: 'an inspection form', card: () => inspectionCards.form({ waterOptions: waters, today }) },
    ],
    inspection: [
      {
        name: 'an inspection with 60 long findings',
        card: () =>
          inspectionCards.inspection({
            id: id('inspection', 1),
            version: 61,
            title: han(60),
            organiserName: '区河长制办公室',
            scopeName: '全区',
            period: '2026年11月1日至11月30日',
            reportedOn: '12月1日',
            findings: range(60).map((n) => ({
              n,
              aspectName: '履职情况',
              text: han(1000),
              waterName: waters[n % 40]?.label ?? '',
              townshipName: townships[n % 19]?.label ?? '',
              departmentName: departments[n % 30]?.label,
              deadline: '12月31日',
              issueId: id('issue', n),
              number: `WT-2026-0${n}`,
              stateName: '整改中',
              overdue: n % 4 === 0,
              closed: n % 5 === 0,
            })),
          }),
      },
    ],
    'issue-action-form': (
      [
        'assign',
        'returnResponsibility',
        'progress',
        'requestClose',
        'verifyFail',
        'requestExtension',
        'rejectExtension',
      ] as const
    ).flatMap((action) =>
      [departments, []].map((departmentOptions) => ({
        name: `${action} form${departmentOptions.length === 0 ? ' without departments' : ''}`,
        card: () =>
          issueCards.form({
            id: id('issue', 1),
            version: 7,
            number: 'WT-2026-0421',
            action,
            summary: han(1000),
            proposedDate: today,
            unitOptions: units,
            departmentOptions,
            returnWindowHours: 24,
          }),
      })),
    ),
    'issue-closing-report': [
      {
        name: 'a closing report with a long timeline',
        card: () =>
          issueCards.closingReport({
            number: 'WT-2026-0421',
            waterBodyName: waters[0]?.label,
            place: han(200),
            description: han(1000),
            sourceName: '区级河湖长巡河',
            assigneeName: townships[0]?.label ?? '',
            timeline: range(70).map((i) => ({ when: `11月${(i % 28) + 1}日`, text: han(200) })),
            onTime: false,
            verifierName: '人员1号',
            greetingOpenId: people[0]?.openId,
          }),
      },
    ],
    'issue-escalation': [
      {
        name: 'an escalation',
        card: () =>
          issueCards.escalation({
            noticeKey: 'notice:WT-2026-0421',
            issueId: id('issue', 1),
            number: 'WT-2026-0421',
            description: han(1000),
            waterBodyName: waters[0]?.label,
            assigneeName: townships[0]?.label ?? '',
            deadline: '10月31日',
            daysOverdue: 30,
            suggest: 'bulletin',
          }),
      },
    ],
    'issue-register': [
      {
        name: '/登记 over the whole district',
        card: () => issueCards.register({ district: '金口河区', waterOptions: waters, townshipOptions: townships }),
      },
    ],
    'issue-supervision': [
      {
        name: 'an overdue notice',
        card: () =>
          issueCards.supervision({
            kind: 'overdue',
            id: id('issue', 1),
            number: 'WT-2026-0421',
            description: han(1000),
            waterBodyName: waters[0]?.label,
            assigneeName: townships[0]?.label ?? '',
            deadline: '10月31日',
            deadlineStatus: '已逾期30天',
            urgency: 'urgent',
            mentionOpenIds: people.slice(0, 20).map((p) => p.openId),
          }),
      },
    ],
    issue: [
      {
        name: 'a problem with 40 history entries and 30 progress notes of 500 characters',
        card: () => issueCards.issue(issueView()),
      },
      {
        name: 'a new problem awaiting assignment',
        card: () =>
          issueCards.issue(
            issueView({ state: 'reported', progress: [], history: [], actions: ['assign'], assigneeName: undefined }),
          ),
      },
      {
        name: 'a problem withdrawn with its patrol',
        card: () => issueCards.issue(issueView({ state: 'withdrawn', actions: [] })),
      },
      {
        name: 'the copy of a township that returned the problem, since assigned elsewhere',
        card: () =>
          issueCards.issue(
            issueView({ actions: [], returned: { unitName: townships[1]?.label ?? '', on: '11月29日' } }),
          ),
      },
    ],
    'withdrawn-patrol-problems': [
      {
        name: 'a withdrawn patrol’s 20 problem lines, some decided',
        card: () =>
          issueCards.withdrawnPatrolProblems({
            subject: `${waters[0]?.label ?? ''} · 人员1号`,
            patrolDate: '11月23日',
            problems: range(20).map((n) => ({
              id: id('issue', n),
              version: 3,
              shortNumber: String(n).padStart(4, '0'),
              description: han(1000),
              stateName: '登记',
              decision: n % 3 === 0 ? ('kept' as const) : n % 3 === 1 ? ('withdrawn' as const) : undefined,
            })),
          }),
      },
    ],
    'item-list': [
      {
        name: '/逾期 with 60 overdue problems and decisions, each with a button',
        card: () =>
          listCards.list({
            title: '逾期事项',
            subtitle: '截至11月29日',
            color: 'red',
            summary: han(300),
            rows: range(200).map((i) => ({
              text: md`**WT-2026-0${i}** ${han(300)}`,
              button: { label: '查看', intent: { view: 'issue', id: id('issue', i) } },
            })),
            footer: han(200),
          }),
      },
      {
        name: '/巡河 standing of 120 duties without buttons',
        card: () =>
          listCards.list({
            title: '巡河履职',
            subtitle: '2026年11月',
            color: 'orange',
            summary: han(100),
            rows: range(120).map(() => ({ text: han(200) })),
          }),
      },
    ],
    'liaison-request': [
      {
        name: 'a 明查暗访 report with many clues',
        card: () =>
          patrolCards.liaisonRequest({
            unitName: departments[0]?.label ?? '',
            chiefName: '人员1号',
            waterBodyName: waters[0]?.label ?? '',
            waterBodyId: waters[0]?.value ?? '',
            periodKey: '2026-11',
            deadline: '11月30日',
            submitted: { items: listLines(80, 300), byName: '人员2号' },
          }),
      },
    ],
    'meeting-schedule': [
      {
        name: '/安排会议 in a district of 300 people',
        card: () =>
          documentCards.scheduleForm({
            kindOptions: range(6).map((i) => ({ value: `k${i}`, label: `会议类型${i}` })),
            waterOptions: waters,
            unitOptions: units,
            today,
            personOpenIds: people.map((p) => p.openId),
          }),
      },
      {
        name: '/安排会议 in a small district',
        card: () =>
          documentCards.scheduleForm({
            kindOptions: range(6).map((i) => ({ value: `k${i}`, label: `会议类型${i}` })),
            waterOptions: waters,
            unitOptions: units,
            today,
            personOpenIds: people.slice(0, 40).map((p) => p.openId),
          }),
      },
    ],
    'patrol-form': [
      {
        name: 'correcting a patrol with long notes and many focus items',
        card: () =>
          patrolCards.form({
            chiefName: '人员1号',
            waterBodyName: waters[0]?.label,
            dutyKey: id('duty', 1),
            periodKey: '2026-11',
            today,
            focus: listLines(80, 300),
            correcting: { patrolId: id('patrol', 1), version: 3, observations: han(1000), problems: han(1000) },
          }),
      },
    ],
    'patrol-overdue-digest': [
      {
        name: '60 overdue duties',
        card: () =>
          patrolCards.overdueDigest({
            date: '12月1日',
            items: range(300).map((i) => `区级河湖长 人员${i}号 · ${waters[i % 40]?.label} · 2026年11月未巡河`),
          }),
      },
    ],
    'patrol-overdue': [
      {
        name: 'a missed patrol',
        card: () =>
          patrolCards.overdue({
            chiefName: '人员1号',
            waterBodyName: waters[0]?.label,
            periodName: '2026年11月',
            dutyText: '区级河湖长每月至少巡河1次',
            dutyKey: id('duty', 1),
            periodKey: '2026-11',
          }),
      },
    ],
    'patrol-reminder': [
      {
        name: 'a reminder with many focus items and key problems',
        card: () =>
          patrolCards.reminder({
            chiefName: '人员1号',
            mentionOpenId: people[0]?.openId,
            waterBodyName: waters[0]?.label,
            periodLabel: '11月',
            deadline: '11月30日',
            daysLeft: 1,
            yearDone: 10,
            yearTarget: 12,
            dutyKey: id('duty', 1),
            periodKey: '2026-11',
            plannedDay: '11月30日',
            keyProblems: listLines(60, 300),
            focus: listLines(80, 300),
          }),
      },
    ],
    'plan-form': [
      {
        name: 'editing a 5,000-character plan with a long list',
        card: () =>
          planCards.planForm({
            kind: 'commendation',
            heading: '修改表彰方案',
            id: id('approval', 1),
            version: 3,
            year: 2026,
            title: han(100),
            plan: han(5000),
            list: listLines(150, 30).join('\n'),
            listLabel: '表彰名单',
          }),
      },
    ],
    'sanction-notice-form': [
      {
        name: '/通报 with a prefilled reason',
        card: () =>
          sanctionCards.noticeForm({ kind: 'bulletin', unitOptions: units, unit: units[0]?.value, reason: han(1000) }),
      },
    ],
    sanction: [
      {
        name: 'a reviewed and referred 约谈 about many problems',
        card: () =>
          sanctionCards.sanction({
            id: id('admonition', 1),
            version: 5,
            kind: 'admonition',
            kindName: '约谈',
            praise: false,
            unitName: townships[0]?.label ?? '',
            reason: han(1000),
            issuedByName: '人员1号',
            issuedOn: '11月1日',
            issues: range(40).map((i) => ({
              id: id('issue', i),
              number: `WT-2026-0${i}`,
              description: han(1000),
              stateName: '整改中',
            })),
            admonition: {
              stage: 'reviewed',
              stageName: '已复核',
              initiatorName: '人员1号',
              interviewee: han(100),
              when: '2026年11月5日 09:30',
              place: han(100),
              participantNames: people.map((p) => p.label).join('、'),
              record: han(5000),
              commitments: han(1000),
              reviewOn: '12月5日',
              review: { outcomeName: '未落实', note: han(1000), byName: '人员2号', on: '12月5日' },
              referral: { body: '区纪委监委', on: '12月6日', note: han(1000), byName: '人员3号' },
            },
          }),
      },
    ],
    status: [
      { name: '/状态 for the district', card: () => statusCards.status(statusView()) },
      {
        name: '月度简报',
        card: () => statusCards.digest({ ...statusView(), month: '2026年11月', notable: listLines(60, 200) }),
      },
    ],
    undelivered: [
      {
        name: 'thirty unreachable people and chats',
        card: () =>
          undeliveredCard({
            date: '12月1日',
            total: 900,
            more: 270,
            rows: range(30).map((i) => ({
              target: `人员${i}号（${departments[i % 30]?.label}，区级河湖长）`,
              kind: i % 2 ? 'refused' : 'botNotInChat',
              code: 230099,
              times: 30,
            })),
          }),
      },
    ],
  };
}
