import type { Period } from '../../domain/time/period.js';
import { fmix32 } from './stable-hash.js';

/** Cells a sheet packs: months 1–12, quarters 1–4, the year. */
export const PACKED = 17;

/** A narrow record on a page: the duty's 64-bit hash, then 12 months of 4 bits. */
const NARROW = 8 + 6;
/** A wide record: the hash, then the 17 cells as 16-bit numbers. */
const WIDE = 8 + PACKED * 2;
/** Separates a page's sections (never a base64 character). */
const SECTION = '~';

const hashed = new Uint32Array(2);
/** The running state of hashDuty, so a duty's parts hash as their joined text without joining them. */
let runA = 0;
let runB = 0;
let runLength = 0;

function hashStart(): void {
  runA = 0x9747b28c;
  runB = 0x2545f491;
  runLength = 0;
}

function hashChars(text: string, end: number): void {
  let a = runA;
  let b = runB;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x5bd1e995);
    a ^= a >>> 13;
    b = Math.imul(b + c, 0x27d4eb2d);
    b = (b << 7) | (b >>> 25);
  }
  runA = a;
  runB = b;
  runLength += end;
}

function hashEnd(): void {
  hashed[0] = fmix32(runA);
  hashed[1] = fmix32(runB ^ runLength);
}

/**
 * Two 32-bit hashes of a duty (`role|chiefId|waterBodyId`, text[0, end)), into `hashed`,
 * independent of stableHash (which places the duty's page): 64 bits that name the duty on its
 * page, so a page holds no ids. Part of the stored data: it must never change.
 */
function hashDuty(text: string, end: number): void {
  hashStart();
  hashChars(text, end);
  hashEnd();
}

/** hashDuty of `role|chiefId|waterBodyId`, from its parts. */
function hashDutyParts(role: string, chiefId: string, waterBodyId: string): void {
  hashStart();
  hashChars(role, role.length);
  hashChars('|', 1);
  hashChars(chiefId, chiefId.length);
  hashChars('|', 1);
  hashChars(waterBodyId, waterBodyId.length);
  hashEnd();
}

/** The 17 cells of a sheet's `packed` text (`1,0,…`), missing ones 0. */
function cellsOf(packed: string): number[] {
  const cells = packed.split(',').map(Number);
  return Array.from({ length: PACKED }, (_, i) => cells[i] || 0);
}

/** True when the quarters and the year are the sums of the months, and every month fits 4 bits. */
function narrow(cells: readonly number[]): boolean {
  let total = 0;
  for (let q = 0; q < 4; q++) {
    let sum = 0;
    for (let m = q * 3; m < q * 3 + 3; m++) {
      const n = cells[m] ?? 0;
      if (n > 15 || n < 0 || !Number.isInteger(n)) return false;
      sum += n;
    }
    if (cells[12 + q] !== sum) return false;
    total += sum;
  }
  return cells[16] === total;
}

/**
 * A page's sheets, as the sweep reads them (issue 18): the fewest bytes, as the embedded
 * database's cost is the bytes it converts (JSON in PostgreSQL, then BSON), about 1.6 ms per
 * 20 KB. Each sheet is its duty's 64-bit hash (see hashDuty) and its counts, in binary, as
 * base64 text, sorted by hash so a page is a function of its sheets (compared by equality):
 * - narrow records (almost all): the hash and the 12 months of 4 bits, 14 bytes; the quarters
 *   and the year are the months' sums;
 * - after `~`, wide records: the hash and the 17 cells of 16 bits (a month over 15 patrols, or
 *   sums that differ);
 * - after a second `~`, sheets whose hash another sheet of the page shares, as `duty\tpacked`
 *   lines, so that two duties are never mixed up on a page.
 * About 19 characters a chief instead of 64 with ids in text: a country's pages are 22 MB.
 */
export function encodePage(sheets: ReadonlyArray<{ duty: string; packed: string }>): string {
  const records = sheets.map(({ duty, packed }) => {
    hashDuty(duty, duty.length);
    return { duty, packed, hi: hashed[0] ?? 0, lo: hashed[1] ?? 0 };
  });
  const seen = new Map<string, number>();
  for (const r of records) seen.set(`${r.hi}:${r.lo}`, (seen.get(`${r.hi}:${r.lo}`) ?? 0) + 1);
  const unique = records
    .filter((r) => seen.get(`${r.hi}:${r.lo}`) === 1)
    .sort((x, y) => x.hi - y.hi || x.lo - y.lo)
    .map((r) => ({ ...r, cells: cellsOf(r.packed) }));
  const narrowOnes = unique.filter((r) => narrow(r.cells));
  const wideOnes = unique.filter((r) => !narrow(r.cells));
  const full = records
    .filter((r) => seen.get(`${r.hi}:${r.lo}`) !== 1)
    .map((r) => `${r.duty}\t${r.packed}`)
    .sort();
  const a = Buffer.alloc(narrowOnes.length * NARROW);
  narrowOnes.forEach((r, i) => {
    const at = i * NARROW;
    a.writeUInt32BE(r.hi, at);
    a.writeUInt32BE(r.lo, at + 4);
    for (let j = 0; j < 6; j++) a[at + 8 + j] = ((r.cells[2 * j] ?? 0) << 4) | (r.cells[2 * j + 1] ?? 0);
  });
  const b = Buffer.alloc(wideOnes.length * WIDE);
  wideOnes.forEach((r, i) => {
    const at = i * WIDE;
    b.writeUInt32BE(r.hi, at);
    b.writeUInt32BE(r.lo, at + 4);
    for (let j = 0; j < PACKED; j++) b.writeUInt16BE(Math.max(0, Math.min(65535, r.cells[j] ?? 0)), at + 8 + 2 * j);
  });
  let text = a.toString('base64');
  if (wideOnes.length > 0 || full.length > 0) text += SECTION + b.toString('base64');
  if (full.length > 0) text += SECTION + full.join('\n');
  return text;
}

/** Slots by duty hash, per year: open addressing over typed arrays, no object per sheet. */
class HashSlots {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** slot + 1; 0 is empty. */
  private slot = new Int32Array(1024);
  private used = 0;

  get(hi: number, lo: number): number | undefined {
    const mask = this.slot.length - 1;
    for (let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const s = this.slot[i] ?? 0;
      if (s === 0) return undefined;
      if (this.hi[i] === hi && this.lo[i] === lo) return s - 1;
    }
  }

  /** The slot of the hash, `fresh()` if it has none yet. */
  put(hi: number, lo: number, fresh: () => number): number {
    if ((this.used + 1) * 2 > this.slot.length) this.grow();
    const mask = this.slot.length - 1;
    for (let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const s = this.slot[i] ?? 0;
      if (s === 0) {
        const slot = fresh();
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.slot[i] = slot + 1;
        this.used++;
        return slot;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) return s - 1;
    }
  }

  private grow(): void {
    const { hi, lo, slot } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(hi.length * 2);
    this.slot = new Int32Array(hi.length * 2);
    this.used = 0;
    for (let i = 0; i < slot.length; i++) {
      const s = slot[i] ?? 0;
      if (s > 0) this.put(hi[i] ?? 0, lo[i] ?? 0, () => s - 1);
    }
  }
}

/**
 * Every sheet's counts only (months 1–12, quarters 1–4, the year), packed into one typed
 * array, found by the duty's hash and year: what the reminder sweep keeps for every duty
 * holder, about 50 bytes each and no string, so a country's 1.2 million chiefs take some 60 MB.
 */
export class PackedCounts {
  private readonly byYear = new Map<string, HashSlots>();
  /** Sheets a page names in full (their hash shared on the page), by figure key. */
  private readonly named = new Map<string, number>();
  private data = new Uint16Array(PACKED * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  private fresh = (): number => {
    const slot = this.count++;
    if (this.count * PACKED > this.data.length) {
      const grown = new Uint16Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    return slot;
  };

  private slotsOf(year: string): HashSlots {
    let slots = this.byYear.get(year);
    if (!slots) {
      slots = new HashSlots();
      this.byYear.set(year, slots);
    }
    return slots;
  }

  private slotForKey(key: string): number {
    const bar = key.lastIndexOf('|');
    hashDuty(key, bar);
    return this.slotsOf(key.slice(bar + 1)).put(hashed[0] ?? 0, hashed[1] ?? 0, this.fresh);
  }

  /** Keeps one sheet's counts (figureKey names it), in the `packed` order. */
  set(key: string, counts: ArrayLike<number>): void {
    const base = this.slotForKey(key) * PACKED;
    for (let i = 0; i < PACKED; i++) this.data[base + i] = counts[i] ?? 0;
  }

  /** Keeps the sheets of one of a year's pages, as encodePage wrote them. */
  addPage(cells: string, year: string): void {
    const slots = this.slotsOf(year);
    const [narrowPart = '', widePart = '', fullPart = ''] = cells.split(SECTION, 3);
    const a = Buffer.from(narrowPart, 'base64');
    for (let at = 0; at + NARROW <= a.length; at += NARROW) {
      const base = slots.put(a.readUInt32BE(at), a.readUInt32BE(at + 4), this.fresh) * PACKED;
      const data = this.data;
      let total = 0;
      for (let j = 0; j < 6; j++) {
        const byte = a[at + 8 + j] ?? 0;
        data[base + 2 * j] = byte >>> 4;
        data[base + 2 * j + 1] = byte & 15;
        total += (byte >>> 4) + (byte & 15);
      }
      for (let q = 0; q < 4; q++)
        data[base + 12 + q] = (data[base + 3 * q] ?? 0) + (data[base + 3 * q + 1] ?? 0) + (data[base + 3 * q + 2] ?? 0);
      data[base + 16] = total;
    }
    const b = Buffer.from(widePart, 'base64');
    for (let at = 0; at + WIDE <= b.length; at += WIDE) {
      const base = slots.put(b.readUInt32BE(at), b.readUInt32BE(at + 4), this.fresh) * PACKED;
      for (let j = 0; j < PACKED; j++) this.data[base + j] = b.readUInt16BE(at + 8 + 2 * j);
    }
    if (fullPart) this.addEntries(fullPart, `|${year}`);
  }

  /**
   * Keeps the sheets of `entries` (lines `duty\tpacked`, a page's colliding sheets, or a
   * whole page as pages were written before encodePage), each keyed by its duty and `suffix`
   * (`|year`).
   */
  addEntries(entries: string, suffix: string): void {
    for (const line of entries.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const key = line.slice(0, tab) + suffix;
      let slot = this.named.get(key);
      if (slot === undefined) {
        slot = this.fresh();
        this.named.set(key, slot);
      }
      const cells = cellsOf(line.slice(tab + 1));
      for (let i = 0; i < PACKED; i++) this.data[slot * PACKED + i] = cells[i] ?? 0;
    }
  }

  /** The slot of a sheet (by its figure key), or undefined when it has none (no patrol that year). */
  slotOf(key: string): number | undefined {
    if (this.named.size > 0) {
      const slot = this.named.get(key);
      if (slot !== undefined) return slot;
    }
    const bar = key.lastIndexOf('|');
    const slots = this.byYear.get(key.slice(bar + 1));
    if (!slots) return undefined;
    hashDuty(key, bar);
    return slots.get(hashed[0] ?? 0, hashed[1] ?? 0);
  }

  /**
   * The slot of a duty's sheet of a year (role, chief and water body as figureKey joins them),
   * without making its key: the sweep asks for 1.2 million of them.
   */
  slotOfDuty(role: string, chiefId: string, waterBodyId: string, year: string): number | undefined {
    if (this.named.size > 0) {
      const slot = this.named.get(`${role}|${chiefId}|${waterBodyId}|${year}`);
      if (slot !== undefined) return slot;
    }
    const slots = this.byYear.get(year);
    if (!slots) return undefined;
    hashDutyParts(role, chiefId, waterBodyId);
    return slots.get(hashed[0] ?? 0, hashed[1] ?? 0);
  }

  /** A period's count in a slot. */
  cell(slot: number, period: Pick<Period, 'kind' | 'index'>): number {
    const offset = period.kind === 'month' ? period.index - 1 : period.kind === 'quarter' ? 11 + period.index : 16;
    return this.data[slot * PACKED + offset] ?? 0;
  }
}
