/**
 * What Feishu said, however the SDK delivered it: a resolved body (200, possibly with
 * code ≠ 0), a thrown AxiosError carrying the body, a streamed body (file downloads), or no
 * answer at all. The setup check reports codes as they are, so nothing here interprets them.
 */

export type FeishuAnswer<T> =
  | { ok: true; data: T }
  | { ok: false; code?: number; msg: string /** Scopes Feishu named in a 99991672 answer. */; scopes: string[] };

/** Feishu's "access denied, scope required" code. https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error */
export const SCOPE_REQUIRED = 99991672;

interface Body {
  code?: number;
  msg?: string;
  error?: { permission_violations?: Array<{ subject?: string }> };
}

async function readBody(data: unknown): Promise<Body | undefined> {
  if (
    data &&
    typeof data === 'object' &&
    typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  ) {
    const chunks: Buffer[] = [];
    for await (const chunk of data as AsyncIterable<Buffer | string>)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
    } catch {
      return undefined;
    }
  }
  return data && typeof data === 'object' ? data : undefined;
}

function refusal(body: Body | undefined, fallback: string): FeishuAnswer<never> {
  const named = body?.error?.permission_violations?.flatMap((v) => (v.subject ? [v.subject] : [])) ?? [];
  const fromMsg =
    /\[([^\]]+)\]/
      .exec(body?.msg ?? '')?.[1]
      ?.split(',')
      .map((s) => s.trim()) ?? [];
  return {
    ok: false,
    code: body?.code,
    msg: body?.msg ?? fallback,
    scopes: named.length > 0 ? named : body?.code === SCOPE_REQUIRED ? fromMsg : [],
  };
}

/** Runs one SDK call and returns its answer without throwing. */
export async function ask<T extends Body>(call: () => Promise<T>): Promise<FeishuAnswer<T>> {
  try {
    const body = await call();
    if (body && typeof body.code === 'number' && body.code !== 0) return refusal(body, 'error');
    return { ok: true, data: body };
  } catch (error) {
    const response = (error as { response?: { status?: number; data?: unknown } }).response;
    if (response) return refusal(await readBody(response.data), `HTTP ${response.status ?? '?'}`);
    return { ok: false, msg: error instanceof Error ? error.message : String(error), scopes: [] };
  }
}

/** `code msg` as people read it in the report. */
export function describeRefusal(answer: { code?: number; msg: string }): string {
  return answer.code === undefined ? answer.msg : `错误码 ${answer.code}：${answer.msg}`;
}
