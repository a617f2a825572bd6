// The measured part of `npm run bench` (scripts/bench-backup.ts bundles this and runs it in a
// child process of its own, so that its peak RSS is the backup's alone). It runs one full
// backup exactly as the worker runs a job: queued, claimed, run by the worker's handler with
// its heartbeat and throttled progress writes. Configuration comes from the environment
// (CLOUDOS_DATA_DIR, CLOUDOS_APPS_DIR, CLOUDOS_DOCKER_BIN), as for the worker.
//   node --expose-gc dist/bench/backup-job.mjs <target name>   → one JSON line on stdout
import { prepareInstance } from '../lib/core/instance/prepare-instance';
import { claimJobById } from '../lib/core/jobs/claim-job';
import { enqueueJob } from '../lib/core/jobs/enqueue-job';
import { listJobLogs } from '../lib/core/jobs/list-jobs';
import { makeWorkerId } from '../lib/core/jobs/recover-jobs';
import { runClaimedJob } from '../lib/core/jobs/run-job';
import { jobHandlers } from '../worker/handlers';

const target = process.argv[2];
if (!target) throw new Error('usage: backup-job.mjs <target name>');
const { db } = await prepareInstance();
const queued = await enqueueJob(db, 'backup', { scope: 'full', apps: [], target }, { createdBy: 'bench' });
const workerId = makeWorkerId('bench');
const job = await claimJobById(db, queued.id, { workerId });
if (!job) throw new Error('the benchmark job was claimed by another process');
// Before the job: what the process costs before any data flows (Node, the bundle, Prisma).
const ready = { seconds: performance.now() / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
const started = performance.now();
const status = await runClaimedJob(db, job, jobHandlers, { workerId });
const seconds = (performance.now() - started) / 1000;
const backup = await db.backup.findFirst({ where: { jobId: job.id } });
const logs = await listJobLogs(db, job.id);
process.stdout.write(
  `${JSON.stringify({
    status,
    seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    storedBytes: Number(backup?.storedBytes ?? 0),
    logicalBytes: Number(backup?.logicalBytes ?? 0),
    fileCount: backup?.fileCount ?? 0,
    ready,
    warnings: logs.filter((l) => l.level !== 'info').map((l) => `${l.level}: ${l.message}`),
  })}\n`,
);
// Prisma may hold the event loop open; the job is done.
process.exit(status === 'succeeded' ? 0 : 1);
