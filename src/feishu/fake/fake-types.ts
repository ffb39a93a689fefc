/**
 * What the fake Feishu open platform remembers, shared by its store, routes, console
 * renderer and the tests that read it back.
 */

/**
 * One message in a chat: one the bot sent (create or reply), with everything later done to
 * it, or one a person sent (local mode keeps those too, so a chat shows both sides).
 */
export interface FakeMessage {
  messageId: string;
  /** Set when a person sent it (local mode); undefined for the bot's own messages. */
  senderOpenId?: string;
  /** The @-mentions of a person's message, keyed as its text writes them (`@_user_1`). */
  mentions?: Array<{ key: string; openId: string; name: string }>;
  /** Set for `create`: how `receiveId` was addressed (open_id, chat_id, …). */
  receiveIdType?: string;
  receiveId?: string;
  /** The chat it landed in, when the fake can tell (chat_id targets, p2p chats, replies to known messages). */
  chatId?: string;
  rootId?: string;
  parentId?: string;
  /** Set when a reply opened or continued a thread (`reply_in_thread`). */
  threadId?: string;
  replyInThread?: boolean;
  msgType: string;
  /** The current content, parsed; a patch or delayed card update replaces it. */
  content: unknown;
  rawContent: string;
  uuid?: string;
  createdAt: Date;
  /** Each later patch's / delayed update's parsed content, oldest first. */
  updates: unknown[];
  /** Open ids the message was made urgent to (urgent_app), in call order. */
  urgentTo: string[];
}

/** One HTTP request the fake answered. */
export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, a multipart summary, raw text, or undefined for an empty body. */
  body: unknown;
  at: Date;
  status: number;
  /** True when an injected fault answered instead of the normal route. */
  injected: boolean;
}

/** Shape of `RecordedCall.body` for multipart uploads: fields as text, files summarised. */
export interface MultipartSummary {
  fields: Record<string, string>;
  files: Array<{ field: string; fileName?: string; contentType?: string; size: number }>;
}

/** A scripted answer for the next matching calls. */
export interface FaultRule {
  /** Upper- or lower-case; any method when omitted. */
  method?: string;
  /** A path prefix (query excluded) or a pattern tested against the path. */
  path: string | RegExp;
  /** How many matching calls it answers; 1 when omitted (unlimited when `until` is given). */
  times?: number;
  /** Answers matching calls only while the fake's clock is before this time: an outage of a set length. */
  until?: Date;
  status: number;
  headers?: Record<string, string>;
  /** Response body; a Feishu-style error matching the status when omitted. */
  body?: unknown;
}

/** An image or file the bot uploaded, kept byte for byte. */
export interface FakeUpload {
  key: string;
  kind: 'image' | 'file';
  bytes: Buffer;
  /** `file_name` form field for files; the multipart filename otherwise, when the client sent one. */
  fileName?: string;
  /** `image_type` for images, `file_type` for files. */
  type?: string;
  contentType?: string;
  /** Every text field of the form, e.g. `duration`. */
  fields: Record<string, string>;
  createdAt: Date;
}

/** A person in the fake tenant's directory, found by contact batch_get_id. */
export interface FakeUser {
  openId: string;
  name: string;
  mobile?: string;
  email?: string;
  userId?: string;
  unionId?: string;
}

/** One delayed card update (`interactive/v1/card/update`). */
export interface FakeCardUpdate {
  token: string;
  card: unknown;
  /** The message it updated, when the token could be tied to one. */
  messageId?: string;
  at: Date;
}

/** Narrowing for the `message(filter)` helper: every given field must be equal. */
export type MessageFilter =
  | Partial<Pick<FakeMessage, 'receiveIdType' | 'receiveId' | 'chatId' | 'rootId' | 'parentId' | 'msgType' | 'uuid'>>
  | ((m: FakeMessage) => boolean);
