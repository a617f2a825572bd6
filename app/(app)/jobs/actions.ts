'use server';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

/** Queues a self-test job (proves the worker and live progress work) and returns its id. */
export async function startSelftestAction(): Promise<ActionResult<{ jobId: string }>> {
  const user = await requirePageUser();
  return runAction(async () => {
    const { db } = await getInstance();
    const job = await enqueueJob(db, 'selftest', { steps: 10, stepMs: 300 }, { createdBy: user.username });
    return { jobId: job.id };
  });
}
