import type { Command } from './command.js';

/** All commands by every name they answer to. One place, so /帮助 can list them. */
export class CommandRegistry {
  private readonly byWord = new Map<string, Command>();
  private readonly ordered: Command[] = [];

  register(command: Command): this {
    for (const word of [command.name, ...command.aliases]) {
      const key = word.toLowerCase();
      if (this.byWord.has(key)) throw new Error(`command word ${word} is registered twice`);
      this.byWord.set(key, command);
    }
    this.ordered.push(command);
    return this;
  }

  find(word: string): Command | undefined {
    return this.byWord.get(word.toLowerCase());
  }

  list(): readonly Command[] {
    return this.ordered;
  }

  /** The closest command word to a typo, for "您是不是要找 …". */
  suggest(word: string): Command | undefined {
    let best: { command: Command; distance: number } | undefined;
    for (const [candidate, command] of this.byWord) {
      const distance = editDistance(word.toLowerCase(), candidate);
      if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) {
        best = { command, distance };
      }
    }
    return best?.command;
  }
}

/** Edits between two words, a swap of neighbours counting as one (people type "hepl"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
