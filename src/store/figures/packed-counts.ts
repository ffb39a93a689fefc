import type { Period } from '../../domain/time/period.js';

/** Cells a sheet packs: months 1–12, quarters 1–4, the year. */
export const PACKED = 17;

/**
 * Every sheet's counts only (months 1–12, quarters 1–4, the year), packed into one typed
 * array with a key index: what the reminder sweep keeps for every duty holder, about 60
 * bytes each plus its key, so a country's 1.2 million chiefs fit in well under a gigabyte.
 */
export class PackedCounts {
  private readonly slots = new Map<string, number>();
  private data = new Uint16Array(PACKED * 1024);

  get size(): number {
    return this.slots.size;
  }

  private slotFor(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(key, slot);
      if ((slot + 1) * PACKED > this.data.length) {
        const grown = new Uint16Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
    }
    return slot;
  }

  /** Keeps one sheet's counts (figureKey names it), in the `packed` order. */
  set(key: string, counts: ArrayLike<number>): void {
    const slot = this.slotFor(key);
    for (let i = 0; i < PACKED; i++) this.data[slot * PACKED + i] = counts[i] ?? 0;
  }

  /**
   * Keeps the sheets of a page's `entries` (lines `duty\tpacked`), each keyed by its duty
   * and `suffix` (`|year`). Parsed in one pass over the characters: a country's pages hold
   * 1.2 million lines, and splitting each into strings would cost seconds and garbage.
   */
  addEntries(entries: string, suffix: string): void {
    const n = entries.length;
    let i = 0;
    while (i < n) {
      const tab = entries.indexOf('\t', i);
      if (tab < 0) return;
      const base = this.slotFor(entries.slice(i, tab) + suffix) * PACKED;
      let cell = 0;
      let value = 0;
      i = tab + 1;
      for (; i < n; i++) {
        const c = entries.charCodeAt(i);
        if (c === 10) break; // '\n': the next line
        if (c === 44) {
          // ','
          if (cell < PACKED) this.data[base + cell] = value;
          cell++;
          value = 0;
        } else value = value * 10 + (c - 48);
      }
      if (cell < PACKED) this.data[base + cell] = value;
      for (let k = cell + 1; k < PACKED; k++) this.data[base + k] = 0;
      i++;
    }
  }

  /** The slot of a sheet, or undefined when it has none (no patrol that year). */
  slotOf(key: string): number | undefined {
    return this.slots.get(key);
  }

  /** A period's count in a slot. */
  cell(slot: number, period: Pick<Period, 'kind' | 'index'>): number {
    const offset = period.kind === 'month' ? period.index - 1 : period.kind === 'quarter' ? 11 + period.index : 16;
    return this.data[slot * PACKED + offset] ?? 0;
  }
}
