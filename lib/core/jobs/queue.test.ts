import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { sleep } from '@/lib/core/util/sleep';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { waitFor } from '@/test/helpers/wait-for';
import { runWorkerLoop } from '@/worker/worker-loop';
import { cancelJob } from './cancel-job';
import { claimNextJob } from './claim-job';
import { enqueueJob } from './enqueue-job';
import { JobFailedWithResult } from './job-failed-with-result';
import type { JobHandlers } from './job-handler';
import { getJob, listJobLogs } from './list-jobs';
import { INTERRUPTED_MESSAGE, recoverInterruptedJobs } from './recover-jobs';
import { runClaimedJob } from './run-job';

let instance: TempInstance;
beforeEach(() => {
  instance = createTempInstance();
});
afterEach(() => instance.cleanup());

function handlersOf(selftest: JobHandlers['selftest']): JobHandlers {
  // These tests queue only self-tests; any other job reaching this map is a test bug.
  const unexpected = async () => {
    throw new Error('only self-tests are queued in these tests');
  };
  return { selftest, backup: unexpected, restore: unexpected, verify: unexpected };
}

async function claimOrFail(workerId: string, leaseMs?: number) {
  const job = await claimNextJob(instance.db, { workerId, leaseMs });
  if (!job) throw new Error('expected a job to claim');
  return job;
}

describe('enqueueJob', () => {
  it('rejects an unknown type or a malformed payload and stores nothing', async () => {
    await expect(enqueueJob(instance.db, 'format-disk', {})).rejects.toThrow('Unknown job type "format-disk".');
    await expect(enqueueJob(instance.db, 'selftest', { steps: 'many' })).rejects.toThrow(/Invalid selftest payload: steps/);
    await expect(enqueueJob(instance.db, 'selftest', { extra: true })).rejects.toThrow(/Invalid selftest payload/);
    expect(await instance.db.job.count()).toBe(0);
  });

  it('queues a valid job with its defaults filled in', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    expect(job.status).toBe('queued');
    const row = await instance.db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(JSON.parse(row.payload)).toEqual({ steps: 10, stepMs: 300 });
  });
});

describe('claiming', () => {
  it('gives each job to exactly one of two racing workers', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 12; i += 1) ids.add((await enqueueJob(instance.db, 'selftest', {})).id);
    const other = instance.openAnotherDb();
    const claimAll = async (db: typeof other, workerId: string) => {
      const got: string[] = [];
      for (;;) {
        const job = await claimNextJob(db, { workerId });
        if (!job) return got;
        got.push(job.id);
      }
    };
    const [a, b] = await Promise.all([claimAll(instance.db, 'host/1/a'), claimAll(other, 'host/2/b')]);
    expect([...a, ...b].sort()).toEqual([...ids].sort());
    expect(new Set([...a, ...b]).size).toBe(ids.size);
    const rows = await instance.db.job.findMany();
    expect(rows.every((r) => r.status === 'running' && r.attempts === 1)).toBe(true);
  });

  it('runs a job once when two worker loops race for it', async () => {
    const runs: string[] = [];
    const handlers = handlersOf(async ({ jobId }) => {
      runs.push(jobId);
      await sleep(20);
      return null;
    });
    const stop = new AbortController();
    const other = instance.openAnotherDb();
    const loops = [
      runWorkerLoop(instance.db, { workerId: 'host/1/a', handlers, signal: stop.signal, pollMs: 10 }),
      runWorkerLoop(other, { workerId: 'host/2/b', handlers, signal: stop.signal, pollMs: 10 }),
    ];
    const job = await enqueueJob(instance.db, 'selftest', {});
    await waitFor(async () => (await getJob(instance.db, job.id)).status === 'succeeded', 'the job to succeed');
    stop.abort();
    await Promise.all(loops);
    expect(runs).toEqual([job.id]);
  });

  it('does not claim a job before its run-at time', async () => {
    await enqueueJob(instance.db, 'selftest', {}, { runAt: new Date(Date.now() + 60_000) });
    expect(await claimNextJob(instance.db, { workerId: 'host/1/a' })).toBeNull();
  });
});

describe('recovering interrupted jobs', () => {
  it('fails a job whose lease expired, or re-queues it while attempts remain', async () => {
    const once = await enqueueJob(instance.db, 'selftest', {});
    const twice = await enqueueJob(instance.db, 'selftest', {}, { maxAttempts: 2 });
    await claimOrFail('elsewhere/1/a', 1_000);
    await claimOrFail('elsewhere/1/a', 1_000);
    expect(await recoverInterruptedJobs(instance.db, { ownerIsDead: () => false })).toEqual([]);
    const later = new Date(Date.now() + 2_000);
    expect((await recoverInterruptedJobs(instance.db, { now: later, ownerIsDead: () => false })).sort()).toEqual(
      [once.id, twice.id].sort(),
    );
    const failed = await getJob(instance.db, once.id);
    expect([failed.status, failed.errorCode, failed.errorMessage]).toEqual(['failed', 'interrupted', INTERRUPTED_MESSAGE]);
    expect((await getJob(instance.db, twice.id)).status).toBe('queued');
    expect((await listJobLogs(instance.db, once.id)).map((l) => l.message)).toContain(INTERRUPTED_MESSAGE);
  });

  it('recovers at once, without waiting for the lease, when the local owner process is gone', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    const job = await enqueueJob(instance.db, 'selftest', {});
    await claimNextJob(instance.db, { workerId: `${hostname()}/${deadPid}/worker-x`, leaseMs: 60_000 });
    expect(await recoverInterruptedJobs(instance.db)).toEqual([job.id]);
    expect((await getJob(instance.db, job.id)).status).toBe('failed');
  });

  it('leaves a job alone while its owner lives and its lease is current', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    await claimNextJob(instance.db, { workerId: `${hostname()}/${process.pid}/worker-x`, leaseMs: 60_000 });
    expect(await recoverInterruptedJobs(instance.db)).toEqual([]);
    expect((await getJob(instance.db, job.id)).status).toBe('running');
  });
});

describe('running jobs', () => {
  it('records success, the result and throttled progress flushed at the end', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    const handlers = handlersOf(async ({ reportProgress, log }) => {
      for (let i = 1; i <= 1000; i += 1) reportProgress({ phase: 'copying', bytesDone: i, bytesTotal: 1000 });
      await log('copied');
      return { copied: 1000 };
    });
    expect(await runClaimedJob(instance.db, await claimOrFail('host/1/a'), handlers, { workerId: 'host/1/a' })).toBe('succeeded');
    const done = await getJob(instance.db, job.id);
    expect([done.status, done.bytesDone, done.bytesTotal, done.percent, done.phase]).toEqual([
      'succeeded',
      1000,
      1000,
      100,
      'copying',
    ]);
    expect(done.result).toEqual({ copied: 1000 });
    expect((await listJobLogs(instance.db, job.id)).map((l) => l.message)).toContain('copied');
  });

  it('cancels a queued job at once and refuses to cancel a finished one', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    expect((await cancelJob(instance.db, job.id)).status).toBe('cancelled');
    expect(await claimNextJob(instance.db, { workerId: 'host/1/a' })).toBeNull();
    await expect(cancelJob(instance.db, job.id)).rejects.toThrow(/already ended \(cancelled\)/);
    await expect(cancelJob(instance.db, 'nope')).rejects.toThrow('No such job.');
  });

  it('aborts a running handler through its signal when the user cancels', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    let sawAbort = false;
    const handlers = handlersOf(async ({ signal }) => {
      await sleep(20_000, signal).catch((error) => {
        sawAbort = true;
        throw error;
      });
    });
    const running = runClaimedJob(instance.db, await claimOrFail('host/1/a'), handlers, {
      workerId: 'host/1/a',
      heartbeatMs: 50,
    });
    await cancelJob(instance.openAnotherDb(), job.id);
    expect(await running).toBe('cancelled');
    expect(sawAbort).toBe(true);
    const done = await getJob(instance.db, job.id);
    expect([done.status, done.errorMessage]).toEqual(['cancelled', 'Cancelled by the user.']);
  });

  it('records a job as cancelled when the worker shuts down', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    const shutdown = new AbortController();
    const handlers = handlersOf(async ({ signal }) => sleep(20_000, signal));
    const running = runClaimedJob(instance.db, await claimOrFail('host/1/a'), handlers, {
      workerId: 'host/1/a',
      shutdownSignal: shutdown.signal,
    });
    setTimeout(() => shutdown.abort(), 50);
    expect(await running).toBe('cancelled');
    expect((await getJob(instance.db, job.id)).errorMessage).toMatch(/worker was shut down/);
  });

  it('fails a job with a malformed payload and keeps the worker going', async () => {
    const now = new Date();
    const base = { type: 'selftest', createdAt: now, updatedAt: now, runAt: now };
    await instance.db.job.create({ data: { ...base, id: 'bad-json', payload: '{not json' } });
    await instance.db.job.create({ data: { ...base, id: 'bad-shape', payload: '{"steps":"many"}' } });
    await instance.db.job.create({ data: { ...base, id: 'bad-type', type: 'rm-rf', payload: '{}' } });
    const good = await enqueueJob(instance.db, 'selftest', { steps: 1, stepMs: 0 });
    const stop = new AbortController();
    const handlers = handlersOf(async () => ({ ok: true }));
    const loop = runWorkerLoop(instance.db, { workerId: 'host/1/a', handlers, signal: stop.signal, pollMs: 10 });
    await waitFor(async () => (await getJob(instance.db, good.id)).status === 'succeeded', 'the good job');
    stop.abort();
    await loop;
    const bad = await Promise.all(['bad-json', 'bad-shape', 'bad-type'].map((id) => getJob(instance.db, id)));
    expect(bad.map((j) => [j.status, j.errorCode])).toEqual([
      ['failed', 'invalid_input'],
      ['failed', 'invalid_input'],
      ['failed', 'invalid_input'],
    ]);
    expect(bad.map((j) => j.errorMessage)).toEqual([
      'The job payload is not valid JSON.',
      expect.stringMatching(/^Invalid selftest payload: steps/),
      'Unknown job type "rm-rf".',
    ]);
  });

  it('re-queues a retryable failure with backoff, and fails a permanent one', async () => {
    const retry = await enqueueJob(instance.db, 'selftest', {}, { maxAttempts: 3 });
    const handlers = handlersOf(async () => {
      throw new AppError('unavailable', 'The target did not answer.', { retryable: true });
    });
    expect(await runClaimedJob(instance.db, await claimOrFail('host/1/a'), handlers, { workerId: 'host/1/a' })).toBe('queued');
    const row = await instance.db.job.findUniqueOrThrow({ where: { id: retry.id } });
    expect([row.status, row.attempts, row.errorMessage]).toEqual(['queued', 1, 'The target did not answer.']);
    expect(row.runAt.getTime()).toBeGreaterThan(Date.now());

    const permanent = await enqueueJob(instance.db, 'selftest', {}, { maxAttempts: 3 });
    const failing = handlersOf(async () => {
      throw new Error('boom');
    });
    expect(await runClaimedJob(instance.db, await claimOrFail('host/1/a'), failing, { workerId: 'host/1/a' })).toBe('failed');
    const failed = await getJob(instance.db, permanent.id);
    expect([failed.status, failed.errorCode, failed.errorMessage]).toEqual(['failed', 'internal', 'Unexpected error: boom']);
  });

  it('fails a job that ended without doing what was asked, and keeps its result', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    const outcome = { restored: ['notes'], rolledBack: [{ app: 'photos', reason: 'cannot start photos' }] };
    const handlers = handlersOf(async () => {
      throw new JobFailedWithResult('rolled_back', 'Rolled back: photos.', outcome);
    });
    expect(await runClaimedJob(instance.db, await claimOrFail('host/1/a'), handlers, { workerId: 'host/1/a' })).toBe('failed');
    const failed = await getJob(instance.db, job.id);
    expect([failed.status, failed.errorCode, failed.errorMessage, failed.result]).toEqual([
      'failed',
      'rolled_back',
      'Rolled back: photos.',
      outcome,
    ]);
  });

  it('stops and writes nothing when another worker took the job over', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    const handlers = handlersOf(async ({ signal }) => sleep(20_000, signal));
    const running = runClaimedJob(instance.db, await claimOrFail('host/1/a'), handlers, {
      workerId: 'host/1/a',
      heartbeatMs: 50,
    });
    await instance.db.job.update({ where: { id: job.id }, data: { status: 'succeeded', leaseOwner: null } });
    expect(await running).toBe('succeeded');
    expect((await getJob(instance.db, job.id)).status).toBe('succeeded');
  });
});
