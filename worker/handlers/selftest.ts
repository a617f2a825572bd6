import type { JobHandler } from '../../lib/core/jobs/job-handler';
import { sleep } from '../../lib/core/util/sleep';

/**
 * Proves the job plumbing without touching any data: advances through `steps` steps, logging
 * and reporting progress, and honours cancellation between (and during) steps.
 */
export const runSelftest: JobHandler<'selftest'> = async ({ payload, signal, log, reportProgress }) => {
  reportProgress({ phase: 'testing', bytesDone: 0, bytesTotal: payload.steps, message: 'Starting self-test' });
  for (let step = 1; step <= payload.steps; step += 1) {
    await sleep(payload.stepMs, signal);
    reportProgress({ bytesDone: step, currentItem: `step ${step}`, message: `Step ${step} of ${payload.steps}` });
    await log(`Self-test step ${step} of ${payload.steps} done.`);
  }
  return { steps: payload.steps };
};
