/**
 * The once-only keys of outgoing messages (see Messenger in workflows/ports.ts), built and read
 * only here. A key is stored with every message the outbox ever sent, and a reply in a thread
 * is routed by the key of the thread's root: so every string built here must stay exactly as it
 * was written when the rows in real databases were made. Change a template and old threads stop
 * routing; add a kind instead.
 *
 * A template names its fields in braces. A field matches one `:`-free segment, except the
 * composite ones listed in WIDE (a duty key, a record id, a stamp contain `:`), which match
 * as little as lets the rest of the template match.
 */
const TEMPLATES = {
  // Problems (issues): the card's copies, what a change tells, the supervision steps.
  issueCard: 'issue:{issueId}:card:{place}',
  issueChange: 'issue:{issueId}:v{version}:{action}',
  issueClosing: 'issue:{issueId}:closing',
  issueSupervision: 'issue:{issueId}:sup:{day}:{step}',
  issueSupervisionUrgent: 'issue:{issueId}:sup:{day}:{step}:urgent:{place}',
  issuesUnassigned: 'issue-unassigned:{day}',
  supervisionNotice: 'notice:{noticeKey}:{place}',
  patrolWithdrawnProblems: 'patrol:{patrolKey}:withdrawn-problems',
  // Official documents (minutes, decisions, four lists).
  documentSubmittedText: 'doc:{documentId}:v{version}:submitted:text',
  documentSubmittedFile: 'doc:{documentId}:v{version}:submitted:file',
  documentReturned: 'doc:{documentId}:v{version}:returned',
  documentNudge: 'doc:{documentId}:v{version}:nudge:{nudge}',
  documentPublishedFile: 'doc:{documentId}:published:file',
  documentUnreached: 'doc:{documentId}:unreached',
  /** After the other document kinds: `{occasion}` (`card`, `published`) would read their words too. */
  documentCard: 'doc:{documentId}:{occasion}:{place}',
  // Meetings.
  meetingReminder: 'meeting:{meetingId}:remind:{hours}h',
  meetingCancelled: 'meeting:{meetingId}:cancelled',
  annualMeetingReminder: 'annual-meeting:{year}:w{week}',
  jointMeetingReminder: 'joint-meeting:{waterId}:{year}',
  fourListsReminder: 'four-lists:{waterId}:{year}:{daysBefore}',
  // Patrols.
  patrolReminder: 'patrol-reminder:{dutyKey}:{periodKey}:{stage}',
  liaisonRequest: 'liaison-request:{waterId}:{periodKey}',
  patrolOverdue: 'patrol-overdue:{dutyKey}:{periodKey}',
  patrolOverdueDigest: 'patrol-overdue-digest:{day}',
  // Digests.
  monthlyDigest: 'digest:{periodKey}',
  undeliveredDigest: 'undelivered:{day}',
  // Records under approval (assessment, notices, commendations), sanctions, inspections: the key starts with the record's id.
  approvalCard: '{approvalId}:v{version}:{place}',
  approvalNudge: '{approvalId}:v{version}:nudge:{nudge}',
  approvalReturned: '{approvalId}:returned:v{version}',
  approvalNotice: '{approvalId}:notice',
  approvalNoticeFile: '{approvalId}:notice:file{index}',
  assessmentWorkbook: '{approvalId}:workbook:{request}',
  sanctionCard: '{sanctionId}:card:{place}',
  sanctionReferral: '{sanctionId}:referral',
  sanctionReviewReminder: '{sanctionId}:review-reminder:{day}',
  inspectionReport: '{inspectionId}:report:{place}',
  // Answers to one event from Feishu (a command, a tap, a menu), named by its event id.
  reply: 'reply:{eventId}:{part}',
  menuReply: 'menu:{eventId}',
  menuPart: 'menu:{eventId}:{part}',
  tapCard: 'tap:{eventId}',
  tapForm: 'form:{eventId}',
  privateForm: 'form:{messageId}:{digest}',
  dutyList: 'duties:{eventId}',
  ledgerExport: 'export:{ref}:{query}',
  // One more round of an existing message: a card's update, a fresh card replacing an old copy.
  cardUpdate: '{key}:update:{stamp}',
  freshCopy: '{key}:fresh:{messageId}',
} as const;

/** Fields that may themselves contain `:`. */
const WIDE = new Set([
  'noticeKey',
  'patrolKey',
  'dutyKey',
  'approvalId',
  'sanctionId',
  'inspectionId',
  'key',
  'ref',
  'stamp',
]);
/** A place: someone's direct chat, a unit's group, a water body's group (workflows/destinations.ts). */
const PLACE = '(?:dm|unit|water):[^:@]+';

type Templates = typeof TEMPLATES;
export type MessageKeyKind = keyof Templates;
type FieldsOf<T extends string> = T extends `${string}{${infer F}}${infer Rest}` ? F | FieldsOf<Rest> : never;
/** The fields a key of this kind is built from. */
export type MessageKeyFields<K extends MessageKeyKind> = { [F in FieldsOf<Templates[K]>]: string | number };
/** A key read back: its kind, its fields, and the place it went to when sent to several (see toPlace). */
export type ParsedMessageKey = {
  [K in MessageKeyKind]: { kind: K; fields: { [F in FieldsOf<Templates[K]>]: string }; place?: string };
}[MessageKeyKind];

/** A place a message goes to: `dm:<person>`, `unit:<unit>`, `water:<water body>`. */
export type PlaceKind = 'dm' | 'unit' | 'water';

/** The key of one message of this kind. */
export function messageKey<K extends MessageKeyKind>(kind: K, fields: MessageKeyFields<K>): string {
  const values = fields as Record<string, string | number>;
  return TEMPLATES[kind].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}

/** A place's name, the suffix that makes a message's key unique per place: `unit:jinhe`. */
export function placeKey(kind: PlaceKind, id: string): string {
  return `${kind}:${id}`;
}

/** The key of the copy of a message sent to one of several places (workflows/destinations.ts `notify`). */
export function toPlace(key: string, place: string): string {
  return `${key}:${place}`;
}

const PARSERS = (Object.entries(TEMPLATES) as [MessageKeyKind, string][]).map(([kind, template]) => {
  const names: string[] = [];
  const body = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return name === 'place' ? `(${PLACE})` : WIDE.has(name) ? '(.+?)' : '([^:]+)';
    })
    .join('');
  return { kind, names, pattern: new RegExp(`^${body}(?::(${PLACE}))?$`) };
});

/**
 * What a key says, or undefined for a key of no known kind. Kinds are tried in the order
 * above, so a key that two templates could read is read as the more specific one.
 */
export function parseMessageKey(key: string): ParsedMessageKey | undefined {
  for (const { kind, names, pattern } of PARSERS) {
    const match = pattern.exec(key);
    if (!match) continue;
    const fields = Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? '']));
    const place = match[names.length + 1];
    return { kind, fields, ...(place ? { place } : {}) } as ParsedMessageKey;
  }
  return undefined;
}

/**
 * The problem a message is about: any key under `issue:<id>:` (its card's copies, what a
 * change told, supervision). Read by prefix, not by kind, so keys of kinds since retired
 * still route a reply in their thread.
 */
export function issueIdOfKey(key: string): string | undefined {
  return /^issue:([^:]+):/.exec(key)?.[1];
}

/** The document a message is about: any key under `doc:<id>:` (read by prefix, as issueIdOfKey). */
export function documentIdOfKey(key: string): string | undefined {
  return /^doc:([^:]+):/.exec(key)?.[1];
}

/** The duty and period a patrol reminder was sent for (a reply in its thread attaches to that patrol). */
export function patrolReminderOfKey(key: string): { dutyKey: string; periodKey: string } | undefined {
  const match = /^patrol-reminder:(.+):([^:]+):d\d+$/.exec(key);
  return match?.[1] && match[2] ? { dutyKey: match[1], periodKey: match[2] } : undefined;
}

/** Whether a message is itself one of the digests of undelivered messages (not listed in the next one). */
export function isUndeliveredDigestKey(key: string): boolean {
  return key.startsWith('undelivered:');
}

/** The place a copy was sent to, when its key ends in one (`issue:<id>:card:unit:jinhe` → `unit:jinhe`). */
export function placeOfKey(key: string): string | undefined {
  return PLACE_AT_END.exec(key)?.[1];
}

/** Whether a copy's key ends in this place: the copy that went there. */
export function isSentTo(key: string, place: string): boolean {
  return key.endsWith(`:${place}`);
}

/** A place's kind and the id it names: `unit:jinhe` → `{ kind: 'unit', id: 'jinhe' }`. */
export function splitPlace(place: string | undefined): { kind?: PlaceKind; id?: string } {
  const match = place ? /^(dm|unit|water):(.+)$/.exec(place) : null;
  return match ? { kind: match[1] as PlaceKind, id: match[2] } : {};
}

const PLACE_AT_END = new RegExp(`:(${PLACE})$`);
const ADOPTED = new RegExp(`^(.+)@(${PLACE})$`);

/**
 * A copy as recorded among a record's card keys. A copy the bot posted ends in its place
 * (`issue:<id>:card:unit:jinhe`); a message a person tapped elsewhere and that became a copy
 * (a form in their direct chat, a list's 查看) is recorded as `<its key>@<place>`, the place
 * being the tapper's own direct chat, since that is whose card it showed.
 */
export function parseCopy(entry: string): { key: string; place: string | undefined } {
  const adopted = ADOPTED.exec(entry);
  if (adopted?.[1] && adopted[2]) return { key: adopted[1], place: adopted[2] };
  return { key: entry, place: placeOfKey(entry) };
}

/**
 * How a message a person tapped is recorded as a copy (see parseCopy): a message the bot sent
 * to a place keeps that place; any other shows what its tapper may do.
 */
export function adoptedCopy(key: string, tapperId: string): string {
  return placeOfKey(key) ? key : `${key}@dm:${tapperId}`;
}
