import { parseArgs } from 'node:util';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { enqueueJob } from '../../lib/core/jobs/enqueue-job';
import { listJobs } from '../../lib/core/jobs/list-jobs';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';
import { runJobHere } from '../run-job-here';

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
  const job = await runJobHere(db, queued.id);
  if (values.json) printJson(job);
  else printLine(`Job ${job.id} ${job.status}${job.errorMessage ? `: ${job.errorMessage}` : ''}`);
  return job.status === 'succeeded' ? 0 : 1;
}
