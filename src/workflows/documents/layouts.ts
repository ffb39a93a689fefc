import { type Directory, personName, unitName } from '../../domain/directory/directory.js';
import {
  DOCUMENT_KIND_NAMES,
  LIST_NAMES,
  type ListName,
  type OfficialDocument,
} from '../../domain/documents/document.js';
import type { DocumentLayout } from '../../domain/documents/layout.js';
import { deadlineDay } from '../../domain/issues/supervision.js';
import { MEETING_KIND_NAMES, type Meeting } from '../../domain/meetings/meeting.js';
import { fullDate, fullDay, meetingTime } from '../../domain/time/format.js';

/**
 * A document's text from its records: the meeting's details, the decisions with their units
 * and deadlines, the lists. The card and the .docx are both rendered from this.
 */

function itemText(directory: Directory, item: OfficialDocument['items'][number], timeZone: string): string {
  const parts = [
    item.unitId ? `责任单位：${unitName(directory, item.unitId)}` : '',
    item.deadline ? `完成时限：${deadlineText(item.deadline, timeZone)}前` : '',
  ].filter(Boolean);
  const text = item.text.replace(/[。；;]$/, '');
  return parts.length > 0 ? `${text}。（${parts.join('；')}）` : `${text}。`;
}

export function deadlineText(deadline: Date, timeZone: string): string {
  return fullDay(deadlineDay(deadline, timeZone));
}

export function documentLayout(
  directory: Directory,
  doc: OfficialDocument,
  meeting: Meeting | undefined,
  timeZone: string,
): DocumentLayout {
  // 区总河长办公室 of 金口河区 signs as 金口河区总河长办公室.
  const office = directory.units.find((u) => u.kind === 'generalChiefOffice')?.name ?? '区总河长办公室';
  const issuer = `${directory.district}${office.replace(/^区/, '')}`;
  const water = directory.waterBodies.find((w) => w.id === doc.waterBodyId);
  const number = doc.number ?? '（草稿）';
  // Only a published document has an 印发 date; a draft must not look issued.
  const date = doc.publishedAt && doc.state === 'published' ? `${fullDate(doc.publishedAt, timeZone)}印发` : '';
  if (doc.kind === 'minutes' && meeting) {
    const presider = personName(directory, doc.approverId);
    const kindName = MEETING_KIND_NAMES[meeting.kind];
    const convened = meeting.convener && meeting.convener !== directory.district ? `（${meeting.convener}召集）` : '';
    return {
      issuer,
      banner: '会议纪要',
      number,
      title: doc.title,
      opening: `${meetingTime(meeting.startsAt, timeZone)}，${presider}在${meeting.place || '会议室'}主持召开${water?.name ?? ''}${kindName}${convened}。现将会议议定事项纪要如下：`,
      items: doc.items.map((i) => itemText(directory, i, timeZone)),
      sections: [],
      attendance: [`出席：${meeting.participants.map((p) => personName(directory, p)).join('、')}`],
      date,
    };
  }
  const lists: ListName[] = ['goals', 'problems', 'tasks', 'responsibilities'];
  return {
    issuer,
    banner: '文件',
    number,
    title: doc.title,
    opening:
      doc.kind === 'fourLists' ? `${water?.name ?? ''}${doc.year}年度河湖长制工作目标、问题、任务、责任清单如下：` : '',
    items: [],
    sections:
      doc.kind === 'fourLists'
        ? lists.map((list) => ({
            heading: LIST_NAMES[list],
            lines: doc.items
              .filter((i) => i.list === list)
              .map((i, k) => `${k + 1}. ${list === 'tasks' ? itemText(directory, i, timeZone) : i.text}`),
          }))
        : [{ heading: DOCUMENT_KIND_NAMES[doc.kind], lines: doc.body.split('\n').filter((l) => l.trim()) }],
    attendance: [],
    date,
  };
}

/** The .docx's file name: the title, and the number once published. */
export function documentFileName(doc: OfficialDocument): string {
  return `${doc.title}${doc.number ? `（${doc.number}）` : '（草稿）'}.docx`;
}
