import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@/lib/core/db/client';
import { applyMigrations } from '@/lib/core/db/migrate';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { getJob } from '@/lib/core/jobs/list-jobs';
import { createSchedule } from '@/lib/core/schedules/schedules';
import { createTarget } from '@/lib/core/targets/targets';
import { startWorker } from '@/test/helpers/processes';
import { waitFor } from '@/test/helpers/wait-for';

let dir: string;
let db: Db;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-worker-'));
  env = { CLOUDOS_DATA_DIR: dir };
  applyMigrations(path.join(dir, 'cloudos.db'));
  db = createDb(path.join(dir, 'cloudos.db'));
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const isRunning = async (id: string) => (await getJob(db, id)).status === 'running';

describe('the worker process', () => {
  it('runs a queued self-test to completion and reports a heartbeat; purges expired sessions', async () => {
    const user = await db.user.create({ data: { id: 'u1', username: 'someone', passwordHash: 'x' } });
    const session = (id: string, expiresAt: Date) => ({ id, tokenHash: `hash-${id}`, userId: user.id, expiresAt });
    await db.session.createMany({
      data: [session('expired', new Date(Date.now() - 60_000)), session('valid', new Date(Date.now() + 3_600_000))],
    });
    const worker = startWorker(env);
    try {
      await waitFor(async () => (await db.session.count({ where: { id: 'expired' } })) === 0, 'the expired session to go');
      expect((await db.session.findMany()).map((s) => s.id)).toEqual(['valid']);
      const job = await enqueueJob(db, 'selftest', { steps: 3, stepMs: 50 });
      await waitFor(async () => (await getJob(db, job.id)).status === 'succeeded', 'the self-test to succeed');
      expect(await db.workerHeartbeat.count()).toBe(1);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    expect(await db.workerHeartbeat.count()).toBe(0);
  });

  it('on SIGTERM aborts the running job, records it as cancelled and exits 0', async () => {
    const worker = startWorker(env);
    const job = await enqueueJob(db, 'selftest', { steps: 100, stepMs: 200 });
    await waitFor(() => isRunning(job.id), 'the job to start');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const done = await getJob(db, job.id);
    expect([done.status, done.errorCode]).toEqual(['cancelled', 'cancelled']);
  });

  it('after SIGKILL mid-job, the restarted worker fails the orphaned job at once and goes on', async () => {
    const first = startWorker(env);
    const job = await enqueueJob(db, 'selftest', { steps: 100, stepMs: 200 });
    await waitFor(() => isRunning(job.id), 'the job to start');
    first.child.kill('SIGKILL');
    await first.exited;
    expect((await getJob(db, job.id)).status).toBe('running'); // nobody has noticed yet

    const second = startWorker(env);
    try {
      const recovered = await waitFor(
        async () => {
          const j = await getJob(db, job.id);
          return j.status !== 'running' && j;
        },
        'the orphaned job to be recovered',
        10_000,
      );
      expect([recovered.status, recovered.errorCode]).toEqual(['failed', 'interrupted']);
      const next = await enqueueJob(db, 'selftest', { steps: 1, stepMs: 0 });
      await waitFor(async () => (await getJob(db, next.id)).status === 'succeeded', 'the next job to run');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('fires a due schedule: enqueues its backup job once and records the fire', async () => {
    await createTarget(db, randomBytes(32), { kind: 'local', name: 'Local', path: path.join(dir, 'target') });
    // Created 90 s ago with a minute cron: at least one fire is due, the latest within the grace window.
    const schedule = await createSchedule(
      db,
      { name: 'Every minute', cron: '* * * * *', target: 'Local', scope: 'full', enabled: true },
      { now: new Date(Date.now() - 90_000) },
    );
    const worker = startWorker(env);
    try {
      const run = await waitFor(
        () => db.scheduleRun.findFirst({ where: { scheduleId: schedule.id, status: 'queued' } }),
        'the schedule to fire',
      );
      const job = await getJob(db, run.jobId as string);
      expect([job.type, job.createdBy]).toEqual(['backup', 'schedule:Every minute']);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await db.schedule.delete({ where: { id: schedule.id } });
    }
  });

  it('at start removes what a failed backup left on a target, and says so', async () => {
    const targetDir = path.join(dir, 'usb');
    mkdirSync(path.join(targetDir, 'archives'), { recursive: true });
    const target = await createTarget(db, randomBytes(32), { kind: 'local', name: 'USB', path: targetDir });
    const id = randomBytes(16).toString('hex');
    await db.backup.create({
      data: { id, targetId: target.id, scope: 'full', apps: '[]', status: 'failed', objectKey: `archives/${id}.cob` },
    });
    writeFileSync(path.join(targetDir, 'archives', `${id}.cob`), 'complete but failed');
    writeFileSync(path.join(targetDir, 'archives', `.${id}.cob.tmp-0123456789ab`), 'half');
    const worker = startWorker(env);
    try {
      await waitFor(
        async () => (await db.backup.findUniqueOrThrow({ where: { id } })).cleanedAt !== null,
        'the failed backup to be cleaned up',
      );
      expect(readdirSync(path.join(targetDir, 'archives'))).toEqual([]);
      await waitFor(() => worker.output().includes(`Cleanup: removed what the failed backup ${id} left`), 'the log line');
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await db.backup.delete({ where: { id } });
    }
  });

  it('stops with one clear line when the configuration is invalid', async () => {
    const worker = startWorker({ ...env, PORT: 'eighty' });
    expect(await worker.exited).toBe(1);
    expect(worker.output().trim()).toBe('worker: invalid configuration: PORT must be a whole number from 1 to 65535');
  });
});
