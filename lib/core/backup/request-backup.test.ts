import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { findActiveJob } from '@/lib/core/jobs/list-jobs';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { backupChoices, requestBackup } from './request-backup';

let harness: BackupHarness;
let env: { appsDir: string; dockerBin: string };
const targetDir = mkdtempSync(path.join(tmpdir(), 'cloudos-request-target-'));

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 1024, smallFiles: 10 });
  env = { appsDir: harness.apps.appsDir, dockerBin: harness.docker.bin };
  await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'disk', path: targetDir });
});
afterAll(async () => {
  await harness.cleanup();
  rmSync(targetDir, { recursive: true, force: true });
});

async function refusal(input: unknown): Promise<AppError> {
  const jobsBefore = await harness.instance.db.job.count();
  const error = await requestBackup(harness.instance.db, env, input, 'admin').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(await harness.instance.db.job.count()).toBe(jobsBefore);
  return error as AppError;
}

describe('requestBackup', () => {
  it('queues a backup job with the request as its payload and the person who asked', async () => {
    const job = await requestBackup(harness.instance.db, env, { target: 'disk', scope: 'apps', apps: ['photos'] }, 'admin');
    expect(job).toMatchObject({ type: 'backup', status: 'queued', createdBy: 'admin' });
    const row = await harness.instance.db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(JSON.parse(row.payload)).toEqual({ target: 'disk', scope: 'apps', apps: ['photos'] });
  });

  it('refuses, queuing nothing: an unknown target, an unknown or broken app, no app for a per-app backup', async () => {
    const noTarget = await refusal({ target: 'nowhere', scope: 'full' });
    expect(noTarget.fields).toEqual({ target: 'There is no target named "nowhere".' });
    expect((await refusal({ target: 'disk', scope: 'apps', apps: ['ghost'] })).fields).toEqual({
      apps: 'There is no app "ghost" (apps: broken, notes, photos).',
    });
    expect((await refusal({ target: 'disk', scope: 'apps', apps: ['notes', 'broken'] })).fields?.apps).toMatch(
      /^The app "broken" cannot be backed up: /,
    );
    expect((await refusal({ target: 'disk', scope: 'apps', apps: [] })).fields).toEqual({
      apps: 'Choose at least one app to back up.',
    });
    expect((await refusal({ target: 'disk', scope: 'everything' })).code).toBe('invalid_input');
    expect((await refusal({ target: 'disk', scope: 'full', scheduleId: 'sneaky' })).message).toBe(
      'A backup started by hand has no schedule.',
    );
  });
});

describe('backupChoices', () => {
  it('lists every app (broken ones with their reason) and the targets', async () => {
    const choices = await backupChoices(harness.instance.db, env);
    expect(choices.apps.map((a) => a.id)).toEqual(['broken', 'notes', 'photos']);
    expect(choices.apps.find((a) => a.id === 'broken')?.error).toBeTruthy();
    expect(choices.apps.filter((a) => a.error === null).map((a) => a.id)).toEqual(['notes', 'photos']);
    expect(choices.targets).toEqual([{ name: 'disk', kind: 'local', isDefault: false }]);
  });
});

describe('findActiveJob', () => {
  it('prefers the running backup over queued ones and ignores finished ones', async () => {
    const { db } = harness.instance;
    await db.job.updateMany({ where: { type: 'backup' }, data: { status: 'succeeded' } });
    expect(await findActiveJob(db, 'backup')).toBeNull();
    const first = await requestBackup(db, env, { target: 'disk', scope: 'full' }, 'admin');
    const second = await requestBackup(db, env, { target: 'disk', scope: 'full' }, 'admin');
    expect((await findActiveJob(db, 'backup'))?.id).toBe(first.id);
    await db.job.update({ where: { id: second.id }, data: { status: 'running', startedAt: new Date() } });
    expect((await findActiveJob(db, 'backup'))?.id).toBe(second.id);
  });
});
