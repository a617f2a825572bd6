import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fsyncDir } from '../util/fsync-dir';

const stepSchema = z.discriminatedUnion('kind', [
  /** Containers about to be stopped: recovery starts them again. */
  z.object({
    kind: z.literal('stop'),
    project: z.object({ project: z.string(), composeFile: z.string(), dir: z.string() }),
    services: z.array(z.string()),
  }),
  /** `live` about to be renamed to `aside`. */
  z.object({ kind: z.literal('aside'), live: z.string(), aside: z.string() }),
  /** `staged` about to be renamed onto `live`. */
  z.object({ kind: z.literal('in'), live: z.string(), staged: z.string() }),
]);
export type JournalStep = z.infer<typeof stepSchema>;

const journalSchema = z.object({
  format: z.literal('cloudos-restore-journal'),
  version: z.literal(1),
  jobId: z.string(),
  backupId: z.string(),
  /** Every staging path this restore created; all of it is removed when it ends either way. */
  staging: z.array(z.string()),
  apps: z.array(
    z.object({
      id: z.string(),
      /** pending: untouched; swapping: steps under way; swapped: done, only `aside` left to delete. */
      state: z.enum(['pending', 'swapping', 'swapped', 'rolled-back']),
      steps: z.array(stepSchema),
    }),
  ),
});
export type JournalData = z.infer<typeof journalSchema>;

export const journalDir = (dataDir: string) => path.join(dataDir, 'restore-journal');

/**
 * The write-ahead record of one restore (a JSON file in the data dir, one per restore job):
 * every irreversible step is appended and flushed to disk before it is taken, so that after a
 * crash (SIGKILL, power loss) `recoverInterruptedRestores` can finish an app whose swap had
 * completed and roll back one that was half-way. Written by rename, so it is never torn.
 */
export class RestoreJournal {
  private constructor(
    private readonly file: string,
    readonly data: JournalData,
  ) {}

  static async create(dataDir: string, data: Omit<JournalData, 'format' | 'version'>): Promise<RestoreJournal> {
    const dir = journalDir(dataDir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const journal = new RestoreJournal(path.join(dir, `${data.jobId}.json`), {
      format: 'cloudos-restore-journal',
      version: 1,
      ...data,
    });
    await journal.save();
    return journal;
  }

  static async load(file: string): Promise<RestoreJournal> {
    return new RestoreJournal(file, journalSchema.parse(JSON.parse(await readFile(file, 'utf8'))));
  }

  static async list(dataDir: string): Promise<string[]> {
    const names = await readdir(journalDir(dataDir)).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).map((n) => path.join(journalDir(dataDir), n));
  }

  app(id: string): JournalData['apps'][number] {
    const app = this.data.apps.find((a) => a.id === id);
    if (!app) throw new Error(`The restore journal has no app ${id}.`);
    return app;
  }

  /** Records a step (and the app as swapping) durably; call before taking the step. */
  async step(appId: string, step: JournalStep): Promise<void> {
    const app = this.app(appId);
    app.state = 'swapping';
    app.steps.push(step);
    await this.save();
  }

  async setState(appId: string, state: JournalData['apps'][number]['state']): Promise<void> {
    this.app(appId).state = state;
    await this.save();
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }

  private async save(): Promise<void> {
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      const bytes = Buffer.from(`${JSON.stringify(this.data, null, 2)}\n`);
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    await rename(temp, this.file);
    await fsyncDir(path.dirname(this.file));
  }
}
