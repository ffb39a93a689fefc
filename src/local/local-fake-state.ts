import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../domain/clock.js';
import { FakeStore, type FakeStoreSnapshot } from '../feishu/fake/fake-store.js';
import type { Logger } from '../log/logger.js';
import { MessageLog, type MessageLogState } from './message-log.js';

/**
 * Local mode keeps the fake Feishu's chats in BOT_DATA_DIR, so after a restart the trial page
 * shows what was said before and the cards the bot still holds ids of can still be updated
 * (a lost card would look to the bot like a failed delivery). The state is one JSON snapshot
 * rewritten after each change (write then rename, so a crash leaves the old or the new one);
 * uploaded bytes are written once each beside it, as they never change.
 */

interface SavedState {
  version: 1;
  store: FakeStoreSnapshot;
  log: MessageLogState;
}

export function fakeStateDir(dataDir: string): string {
  return join(dataDir, 'local-feishu');
}

/** Upload keys are the fake's own (`file_v3_fake_7`); anything else is kept off the path. */
function uploadFile(dir: string, key: string): string {
  return join(dir, 'uploads', key.replace(/[^A-Za-z0-9_-]/g, '_'));
}

export class LocalFakeState {
  readonly store = new FakeStore();
  readonly log: MessageLog;
  private readonly savedUploads = new Set<string>();
  private dirty = false;
  private writing: Promise<void> | undefined;

  private constructor(
    private readonly dir: string,
    clock: Clock,
    private readonly logger: Logger,
  ) {
    this.log = new MessageLog(clock, () => this.changed());
  }

  /** The chats an earlier run saved in the data dir, or empty ones the first time. */
  static async open(dataDir: string, clock: Clock, logger: Logger): Promise<LocalFakeState> {
    const state = new LocalFakeState(fakeStateDir(dataDir), clock, logger);
    await state.load();
    return state;
  }

  private get file(): string {
    return join(this.dir, 'state.json');
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return; // first start
    }
    let saved: SavedState;
    try {
      saved = JSON.parse(text) as SavedState;
      if (saved.version !== 1) throw new Error(`unknown version ${String(saved.version)}`);
    } catch (error) {
      // Keep the unreadable file for a look, and start with empty chats rather than not at all.
      this.logger.warn({ err: error, file: this.file }, 'local feishu state unreadable; starting with empty chats');
      await rename(this.file, `${this.file}.unreadable`).catch(() => undefined);
      return;
    }
    const bytes = new Map<string, Buffer>();
    for (const upload of saved.store.uploads) {
      // A missing file (removed by hand) just leaves that upload out.
      const read = await readFile(uploadFile(this.dir, upload.key)).catch(() => undefined);
      if (!read) continue;
      bytes.set(upload.key, read);
      this.savedUploads.add(upload.key);
    }
    // JSON wrote the dates as ISO strings.
    for (const message of saved.store.messages) message.createdAt = new Date(message.createdAt);
    for (const upload of saved.store.uploads) upload.createdAt = new Date(upload.createdAt);
    this.store.restore(saved.store, (key) => bytes.get(key));
    this.log.restore(saved.log);
  }

  /** Something changed: save soon. Saves run one at a time; changes during one make one more. */
  changed(): void {
    this.dirty = true;
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
  }

  /** Resolves once everything changed so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.write();
      } catch (error) {
        this.logger.warn({ err: error, dir: this.dir }, 'could not save the local feishu state');
      }
    }
  }

  private async write(): Promise<void> {
    // Taken at once, so later changes cannot tear this snapshot; the next save carries them.
    const snapshot = this.store.snapshot();
    const text = JSON.stringify({ version: 1, store: snapshot, log: this.log.state() } satisfies SavedState);
    const fresh = this.store.uploads().filter((u) => !this.savedUploads.has(u.key));
    await mkdir(join(this.dir, 'uploads'), { recursive: true });
    // Bytes first: the snapshot never names an upload whose bytes are not saved.
    for (const upload of fresh) {
      await writeFile(uploadFile(this.dir, upload.key), upload.bytes);
      this.savedUploads.add(upload.key);
    }
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.file);
  }
}
