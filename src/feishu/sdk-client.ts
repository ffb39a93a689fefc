import * as lark from '@larksuiteoapi/node-sdk';

/**
 * How long a call to Feishu may go without a byte in either direction before it is given up.
 * The SDK's own HTTP client has no timeout at all, so one connection that hangs (a proxy that
 * never answers, a half-open socket) would hold an outbox send, and the webhook waiting on it,
 * forever. Feishu answers in well under a second; ten seconds leaves room for uploads.
 */
export const FEISHU_HTTP_TIMEOUT_MS = 10_000;

/**
 * The SDK's HTTP instance with a timeout on every call it makes: API calls, the tenant token
 * and uploads alike. A call that times out fails as a network error (no answer), which the
 * outbox retries like a 5xx, under the same uuid. A call that names its own timeout keeps it.
 * (Axios's timeout in Node is the socket's idle time: a large upload still moving is not cut.)
 */
export function timedHttpInstance(
  timeoutMs: number,
  // The SDK's default instance unwraps each answer to its body (an interceptor), as HttpInstance
  // says; its declared type, AxiosInstance, does not know that.
  base: lark.HttpInstance = lark.defaultHttpInstance as unknown as lark.HttpInstance,
): lark.HttpInstance {
  const withTimeout = <D>(opts?: lark.HttpRequestOptions<D>): lark.HttpRequestOptions<D> => ({
    timeout: timeoutMs,
    ...opts,
  });
  return {
    request: (opts) => base.request(withTimeout(opts)),
    get: (url, opts) => base.get(url, withTimeout(opts)),
    delete: (url, opts) => base.delete(url, withTimeout(opts)),
    head: (url, opts) => base.head(url, withTimeout(opts)),
    options: (url, opts) => base.options(url, withTimeout(opts)),
    post: (url, data, opts) => base.post(url, data, withTimeout(opts)),
    put: (url, data, opts) => base.put(url, data, withTimeout(opts)),
    patch: (url, data, opts) => base.patch(url, data, withTimeout(opts)),
  };
}

/** The one way the bot makes its SDK client: every HTTP call it makes has a timeout. */
export function feishuClient(
  params: Omit<ConstructorParameters<typeof lark.Client>[0], 'httpInstance'> & { timeoutMs?: number },
): lark.Client {
  const { timeoutMs = FEISHU_HTTP_TIMEOUT_MS, ...rest } = params;
  return new lark.Client({ ...rest, httpInstance: timedHttpInstance(timeoutMs) });
}
