import { lstat, rename, rm } from 'node:fs/promises';
import type { Db } from '../db/client';
import { appendJobLog } from '../jobs/job-progress';
import { isTerminalStatus } from '../jobs/job-types';
import { DockerRuntime } from '../runtime/docker-runtime';
import { type JournalStep, RestoreJournal } from './restore-journal';

const exists = async (p: string) => (await lstat(p).catch(() => null)) !== null;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Undoes one journaled step if it was taken (the journal is written before each step). Safe to
 * repeat, also after an in-process rollback that was itself interrupted: old data is only ever
 * renamed back from its aside copy, and restored data is removed only where nothing was set
 * aside for that path.
 */
async function undoStep(step: JournalStep, steps: JournalStep[], runtime: DockerRuntime): Promise<void> {
  if (step.kind === 'in') {
    const hadOldData = steps.some((s) => s.kind === 'aside' && s.live === step.live);
    // Taken when the staged copy left staging: what sits at `live` is then the restored data.
    if (!hadOldData && !(await exists(step.staged))) await rm(step.live, { recursive: true, force: true });
  } else if (step.kind === 'aside') {
    // While the aside copy exists, `live` holds restored or partial data (or nothing).
    if (await exists(step.aside)) {
      await rm(step.live, { recursive: true, force: true });
      await rename(step.aside, step.live);
    }
  } else {
    await runtime.start(step.project, step.services);
  }
}

/**
 * Finishes restores whose process died (SIGKILL, power loss), from their journals, once their
 * job has ended (recoverInterruptedJobs fails it; restores are never retried): an app whose
 * swap had completed keeps its restored data and loses the moved-aside copy; an app caught
 * half-way is rolled back step by step (old data renamed back, its containers started); the
 * staging is removed. What happened is written to the job's log. Returns the job ids handled.
 */
export async function recoverInterruptedRestores(db: Db, dataDir: string, dockerBin: string): Promise<string[]> {
  const recovered: string[] = [];
  for (const file of await RestoreJournal.list(dataDir)) {
    const journal = await RestoreJournal.load(file);
    const { jobId } = journal.data;
    const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (job && !isTerminalStatus(job.status)) continue; // still running in some process
    const log = (text: string, level: 'info' | 'warn' | 'error' = 'info') =>
      job ? appendJobLog(db, jobId, text, level).catch(() => {}) : Promise.resolve();
    const runtime = new DockerRuntime(dockerBin);
    for (const app of journal.data.apps) {
      if (app.state === 'swapped') {
        for (const step of app.steps) if (step.kind === 'aside') await rm(step.aside, { recursive: true, force: true });
        await log(`Recovery: ${app.id} had been restored completely; removed its old data.`);
      } else if (app.state === 'swapping') {
        for (const step of [...app.steps].reverse()) {
          try {
            await undoStep(step, app.steps, runtime);
          } catch (error) {
            await log(`Recovery: could not undo a step of ${app.id} (${step.kind}): ${message(error)}`, 'error');
          }
        }
        await journal.setState(app.id, 'rolled-back');
        await log(
          `Recovery: the restore of ${app.id} was interrupted half-way; rolled it back to its data before the restore.`,
          'warn',
        );
      }
    }
    for (const staging of journal.data.staging) await rm(staging, { recursive: true, force: true });
    // A step that could not be undone is in the job's log; repeating the journal would not help.
    await journal.remove();
    await db.appLock.deleteMany({ where: { jobId } });
    recovered.push(jobId);
  }
  return recovered;
}
