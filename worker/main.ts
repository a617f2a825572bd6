import { deleteExpiredSessions } from '../lib/core/auth/sessions';
import { recoverInterruptedBackups } from '../lib/core/backup/recover-backups';
import { cleanUpAllTargets } from '../lib/core/cleanup/clean-up-target';
import { ConfigError, getEnv } from '../lib/core/env';
import { isAppError } from '../lib/core/errors';
import { prepareInstance } from '../lib/core/instance/prepare-instance';
import { makeWorkerId } from '../lib/core/jobs/recover-jobs';
import { recoverInterruptedRestores } from '../lib/core/restore/recover-restores';
import { readGraceMs } from '../lib/core/schedules/grace-setting';
import { tickScheduler } from '../lib/core/schedules/scheduler';
import { readTimeZone } from '../lib/core/schedules/time-zone-setting';
import { dryRunBase, removeLeftoverDryRuns } from '../lib/core/verification/dry-run-dir';
import { settleVerifications } from '../lib/core/verification/verifications';
import { jobHandlers } from './handlers';
import { runWorkerLoop } from './worker-loop';

function fatal(error: unknown): never {
  const message = error instanceof ConfigError || isAppError(error) ? error.message : String(error);
  console.error(`worker: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  try {
    getEnv();
  } catch (error) {
    fatal(error);
  }
  const { db, instanceKey } = await prepareInstance().catch(fatal);
  const { dockerBin, dataDir, timeZone } = getEnv();
  const workerId = makeWorkerId('worker');
  const shutdown = new AbortController();
  let firstSignalAt = 0;
  const onSignal = (name: string) => {
    // A second signal well after the first means "stop now"; one arriving together with the
    // first (terminal Ctrl-C plus `npm start` forwarding it) is the same request.
    if (firstSignalAt && Date.now() - firstSignalAt > 2_000) process.exit(130);
    if (firstSignalAt) return;
    firstSignalAt = Date.now();
    console.log(`worker: ${name} received, cancelling the running job and stopping`);
    shutdown.abort();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  console.log(`worker: started (${workerId})`);
  await runWorkerLoop(db, {
    workerId,
    handlers: jobHandlers,
    signal: shutdown.signal,
    recoverMore: async () => {
      await recoverInterruptedBackups(db, instanceKey, dockerBin);
      await recoverInterruptedRestores(db, dataDir, dockerBin);
      await settleVerifications(db);
      await removeLeftoverDryRuns(db, dryRunBase(dataDir));
      // Pages drop an expired session only when it is presented; the rest would stay forever.
      await deleteExpiredSessions(db);
    },
    cleanUp: () =>
      cleanUpAllTargets(db, instanceKey, {
        log: (message, level) => (level === 'warn' || level === 'error' ? console.error : console.log)(`worker: ${message}`),
      }),
    tickSchedules: async () => {
      const { errors } = await tickScheduler(db, {
        now: new Date(),
        timeZone: await readTimeZone(db, timeZone),
        graceMs: await readGraceMs(db),
      });
      for (const { scheduleId, error } of errors)
        console.error(`worker: schedule ${scheduleId}: ${error instanceof Error ? error.message : String(error)}`);
    },
    onError: (error) => console.error(`worker: ${error instanceof Error ? error.message : String(error)}`),
  });
  await db.$disconnect();
  console.log('worker: stopped');
}

main().catch(fatal);
