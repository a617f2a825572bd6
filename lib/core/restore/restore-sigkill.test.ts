import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@/lib/core/db/client';
import { getJob } from '@/lib/core/jobs/list-jobs';
import { createDockerStandin, type DockerStandin } from '@/test/helpers/docker-standin';
import { createFixtureApps, type FixtureApps } from '@/test/helpers/fixture-apps';
import { runCli, startWorker } from '@/test/helpers/processes';
import { snapshotTree } from '@/test/helpers/tree';
import { waitFor } from '@/test/helpers/wait-for';
import { requestRestore } from './request-restore';
import { journalDir } from './restore-journal';

// The real thing: a worker process SIGKILLed in the middle of a two-app restore, and the next
// worker making it consistent from the journal.
let dir: string;
let env: Record<string, string>;
let apps: FixtureApps;
let docker: DockerStandin;
let db: Db;

const snapshot = () => ({
  photos: snapshotTree(path.join(apps.appsDir, 'photos')),
  notes: snapshotTree(path.join(apps.appsDir, 'notes')),
  volume: snapshotTree(apps.namedVolumeDir),
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-restore-kill-'));
  apps = createFixtureApps(dir, { bigFileBytes: 2 * 1024 * 1024, smallFiles: 100 });
  docker = createDockerStandin(path.join(dir, 'docker'), apps.dockerState);
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: apps.appsDir, ...docker.env };
  writeFileSync(path.join(dir, 'pw'), 'correct horse battery\n');
  const init = await runCli(
    ['init', '--admin-user', 'admin', '--admin-password-file', path.join(dir, 'pw'), '--generate-passphrase'],
    env,
  );
  expect(init.code).toBe(0);
  db = createDb(path.join(dir, 'data', 'cloudos.db'));
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('a worker killed mid-restore', () => {
  it('leaves the apps consistent once the next worker has recovered: one restored, one as before', async () => {
    const backup = await runCli(['backup', '--target', 'Local backups', '--full', '--json'], env);
    expect(backup.code).toBe(0);
    const { backupId } = JSON.parse(backup.stdout);
    const backedUp = snapshot();
    writeFileSync(path.join(apps.appsDir, 'photos', 'library', 'new.jpg'), 'new');
    writeFileSync(path.join(apps.namedVolumeDir, 'PG_VERSION'), '17\n');
    writeFileSync(path.join(apps.appsDir, 'notes', 'data', 'pages', '00', 'page-0.md'), 'changed');
    const before = snapshot();
    // photos' data is all swapped when its containers are started; that start hangs, and the
    // worker is killed during it.
    docker.setState({ ...docker.state(), delayMs: { 'start photos': 8_000 } });
    docker.clearCalls();

    const job = await requestRestore(db, { backupId }, 'test');
    const first = startWorker(env);
    await waitFor(() => docker.lifecycle().includes('start photos web db'), 'the restore to start photos again', 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(snapshot().photos).not.toEqual(before.photos); // killed with the restored data in place
    docker.setState({ ...docker.state(), delayMs: {} });

    const second = startWorker(env);
    try {
      await waitFor(
        async () =>
          (await getJob(db, job.id)).status === 'failed' && readdirSync(journalDir(path.join(dir, 'data'))).length === 0,
        'the interrupted restore to be recovered',
        30_000,
      );
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const after = snapshot();
    expect(after.notes).toEqual(backedUp.notes);
    expect(after.photos).toEqual(before.photos);
    expect(after.volume).toEqual(before.volume);
    expect(docker.state().projects.photos?.containers.map((c) => c.State)).toEqual(['running', 'running', 'exited']);
    expect(docker.lifecycle().slice(-1)).toEqual(['start photos web db']);
    const leftovers = readdirSync(apps.appsDir).filter((n) => n.startsWith('.restore-'));
    expect(leftovers).toEqual([]);
    expect(readdirSync(path.join(apps.appsDir, 'photos')).filter((n) => n.includes('before-restore'))).toEqual([]);
    const log = (await db.jobLog.findMany({ where: { jobId: job.id } })).map((l) => l.message).join('\n');
    expect(log).toContain('Recovery: the restore of photos was interrupted half-way; rolled it back');
  }, 180_000);
});
