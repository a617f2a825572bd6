import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelJob } from '@/lib/core/jobs/cancel-job';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { createTarget } from '@/lib/core/targets/targets';
import { insertBackupRow } from '@/test/helpers/catalog-rows';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { startVerification } from './start-verification';
import { getVerificationForJob, latestVerificationsOf } from './verification-lookups';

// The reads behind the history list and the job page, over rows in a real database (the
// checks themselves are run in verification.test.ts).
let instance: TempInstance;
let targetId: string;

function addBackup(): Promise<string> {
  return insertBackupRow(instance.db, { targetId, startedAt: new Date(Date.now() - 60_000), finishedAt: new Date() });
}

beforeAll(async () => {
  instance = createTempInstance();
  targetId = (await createTarget(instance.db, randomBytes(32), { kind: 'local', name: 'nas', path: instance.dir })).id;
});
afterAll(async () => {
  await instance.cleanup();
});

describe('latestVerificationsOf', () => {
  it('gives the newest verification per backup, settles dead ones, and leaves never-verified backups out', async () => {
    const [verified, reverified, never] = [await addBackup(), await addBackup(), await addBackup()];
    expect(await latestVerificationsOf(instance.db, [])).toEqual(new Map());

    const first = await startVerification(instance.db, verified, { dryRun: true, createdBy: 'alice' });
    const old = await startVerification(instance.db, reverified, { createdBy: 'alice' });
    // A queued job cancelled before it started cannot update its verification itself.
    await cancelJob(instance.db, old.jobId);
    const newer = await startVerification(instance.db, reverified, { createdBy: 'alice' });

    const latest = await latestVerificationsOf(instance.db, [verified, reverified, never]);
    expect([...latest.keys()].sort()).toEqual([verified, reverified].sort());
    expect(latest.get(verified)).toMatchObject({ id: first.verificationId, jobId: first.jobId, state: 'queued', dryRun: true });
    expect(latest.get(reverified)).toMatchObject({
      id: newer.verificationId,
      jobId: newer.jobId,
      state: 'queued',
      dryRun: false,
    });
    expect(latest.get(reverified)?.finishedAt).toBeNull();
    const settled = await instance.db.verification.findUnique({ where: { id: old.verificationId } });
    expect(settled).toMatchObject({ state: 'cancelled', message: 'Cancelled.', activeFor: null });
  });
});

describe('getVerificationForJob', () => {
  it("returns a verification job's view, and null for a manual verify or an unknown job", async () => {
    const backupId = await addBackup();
    const { jobId, verificationId } = await startVerification(instance.db, backupId, { dryRun: true, createdBy: 'bob' });
    const view = await getVerificationForJob(instance.db, jobId);
    expect(view).toMatchObject({
      id: verificationId,
      backupId,
      jobId,
      state: 'queued',
      requestedChecks: ['size', 'integrity', 'dry-run', 'staleness'],
      dryRun: true,
      checks: [],
      createdBy: 'bob',
    });
    expect(view?.progress).toMatchObject({ bytesDone: 0 });

    await cancelJob(instance.db, jobId);
    expect(await getVerificationForJob(instance.db, jobId)).toMatchObject({ state: 'cancelled', message: 'Cancelled.' });

    const manual = await enqueueJob(instance.db, 'verify', { backupId });
    expect(await getVerificationForJob(instance.db, manual.id)).toBeNull();
    expect(await getVerificationForJob(instance.db, 'no-such-job')).toBeNull();
  });
});
