/**
 * A copy of an event body with every NUL character removed from its strings (keys too).
 * Nobody types one on purpose, and the embedded database refuses to store a string that
 * holds one, so a problem description or form answer carrying it would fail every retry.
 */
export function withoutNul<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [strip(key) as string, strip(inner)]));
  }
  return value;
}
