import { z } from 'zod';
import type { Db } from '../db/client';
import { appendJobLog } from '../jobs/job-progress';
import { isTerminalStatus } from '../jobs/job-types';
import { DockerRuntime } from '../runtime/docker-runtime';
import { openTargetById } from '../targets/targets';
import { manifestKey } from './repository';

const stoppedAppsSchema = z.array(
  z.object({ id: z.string(), project: z.string(), composeFile: z.string(), dir: z.string(), services: z.array(z.string()) }),
);

export const INTERRUPTED_BACKUP_MESSAGE =
  'Interrupted: the process running this backup stopped before it finished. Its partial upload was removed; nothing of it is a backup.';

/**
 * Cleans up after backups whose process died (SIGKILL, power loss): once their job has ended
 * (recoverInterruptedJobs fails it), starts the containers they had stopped, removes their
 * partial upload from the target and marks them failed. Returns the backup ids it finished.
 */
export async function recoverInterruptedBackups(db: Db, instanceKey: Buffer, dockerBin: string): Promise<string[]> {
  const rows = await db.backup.findMany({ where: { OR: [{ status: 'running' }, { quiesced: { not: null } }] } });
  const recovered: string[] = [];
  for (const row of rows) {
    const job = row.jobId ? await db.job.findUnique({ where: { id: row.jobId }, select: { status: true } }) : null;
    if (job && !isTerminalStatus(job.status)) continue; // still running, or queued to run again
    const log = (message: string, level: 'info' | 'warn' | 'error' = 'info') =>
      row.jobId ? appendJobLog(db, row.jobId, message, level).catch(() => {}) : Promise.resolve();
    let stillStopped: string | null = null;
    if (row.quiesced) {
      const runtime = new DockerRuntime(dockerBin);
      const left = [];
      for (const app of stoppedAppsSchema.parse(JSON.parse(row.quiesced))) {
        try {
          await runtime.start(app, app.services);
          await log(`Recovery: started ${app.id} again (${app.services.join(', ')}).`);
        } catch (error) {
          left.push(app);
          await log(
            `Recovery: could not start ${app.id} again: ${error instanceof Error ? error.message : String(error)}`,
            'error',
          );
        }
      }
      stillStopped = left.length > 0 ? JSON.stringify(left) : null;
    }
    if (row.status === 'running') {
      try {
        const target = await openTargetById(db, instanceKey, row.targetId);
        try {
          await target.delete(manifestKey(row.id));
          await target.delete(row.objectKey);
          await target.discardPartial(row.objectKey);
        } finally {
          await target.close().catch(() => {});
        }
        await log('Recovery: removed the partial upload of the interrupted backup.', 'warn');
      } catch (error) {
        // The target may be offline; the row stays "running" and the next recovery tries again.
        await log(`Recovery: could not clean the target yet: ${error instanceof Error ? error.message : String(error)}`, 'warn');
        await db.backup.update({ where: { id: row.id }, data: { quiesced: stillStopped } });
        continue;
      }
    }
    await db.backup.update({
      where: { id: row.id },
      data: {
        quiesced: stillStopped,
        ...(row.status === 'running'
          ? {
              status: 'failed',
              errorCode: 'interrupted',
              errorMessage: INTERRUPTED_BACKUP_MESSAGE,
              finishedAt: new Date(),
              cleanedAt: new Date(), // its partial upload, object and manifest were just removed
            }
          : {}),
      },
    });
    if (row.jobId) await db.appLock.deleteMany({ where: { jobId: row.jobId } });
    recovered.push(row.id);
  }
  return recovered;
}
