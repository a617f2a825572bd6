import { parseArgs } from 'node:util';
import type { Db } from '../../lib/core/db/client';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { claimJobById } from '../../lib/core/jobs/claim-job';
import { enqueueJob } from '../../lib/core/jobs/enqueue-job';
import { isTerminalStatus, type JobView } from '../../lib/core/jobs/job-types';
import { getJob, listJobs } from '../../lib/core/jobs/list-jobs';
import { makeWorkerId } from '../../lib/core/jobs/recover-jobs';
import { runClaimedJob } from '../../lib/core/jobs/run-job';
import { sleep } from '../../lib/core/util/sleep';
import { jobHandlers } from '../../worker/handlers';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';

export async function runJobs(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list') return jobsList(rest);
  if (sub === 'run') return jobsRun(rest);
  throw new UsageError(sub ? `unknown jobs command "${sub}"` : 'missing jobs command (list or run)');
}

async function jobsList(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, limit: { type: 'string', default: '20' } },
    strict: true,
  });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  const { db } = await prepareInstance();
  const jobs = await listJobs(db, { limit });
  if (values.json) {
    printJson(jobs);
    return 0;
  }
  if (jobs.length === 0) {
    printLine('No jobs yet.');
    return 0;
  }
  const rows = jobs.map((j) => [j.id, j.type, j.status, j.percent === null ? '' : `${j.percent}%`, j.createdAt]);
  printLine(formatTable([['ID', 'TYPE', 'STATUS', 'PROGRESS', 'CREATED'], ...rows]));
  return 0;
}

function parseCount(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number`);
  return n;
}

async function jobsRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      steps: { type: 'string' },
      'step-ms': { type: 'string' },
    },
    strict: true,
  });
  const [type] = positionals;
  if (type !== 'selftest')
    throw new UsageError(type ? `unknown job type "${type}" (try: selftest)` : 'missing job type (try: selftest)');
  const payload = { steps: parseCount(values.steps, '--steps', 5), stepMs: parseCount(values['step-ms'], '--step-ms', 200) };
  const { db } = await prepareInstance();
  const queued = await enqueueJob(db, 'selftest', payload, { createdBy: 'cli' });
  if (!values.json) printLine(`Job ${queued.id} queued.`);
  const job = await runHereOrWait(db, queued.id);
  if (values.json) printJson(job);
  else printLine(`Job ${job.id} ${job.status}${job.errorMessage ? `: ${job.errorMessage}` : ''}`);
  return job.status === 'succeeded' ? 0 : 1;
}

/** Runs the job in this process, unless a worker claimed it first; then follows it. */
async function runHereOrWait(db: Db, jobId: string): Promise<JobView> {
  const workerId = makeWorkerId('cli');
  const claimed = await claimJobById(db, jobId, { workerId });
  if (claimed) {
    const shutdown = new AbortController();
    const onSignal = () => shutdown.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await runClaimedJob(db, claimed, jobHandlers, { workerId, shutdownSignal: shutdown.signal });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  for (;;) {
    const job = await getJob(db, jobId);
    if (isTerminalStatus(job.status)) return job;
    await sleep(500);
  }
}
