/**
 * Where a figure lives (a sheet's page, a rollup's group) is a hash of its identity, stored
 * with it: the hash must never change between processes or versions.
 * FNV-1a, 32 bits, with a final mix.
 */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Mixed once more: FNV's low bits are poor, and pages and groups are taken modulo a power
  // of two (ids like `p12|w12` cancel out in FNV's lowest bit).
  return fmix32(h);
}

/** MurmurHash3's 32-bit finaliser: every input bit reaches every output bit. */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
