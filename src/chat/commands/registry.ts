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

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
