import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerStandin, type DockerStandin } from '@/test/helpers/docker-standin';
import { createFixtureApps, type FixtureApps } from '@/test/helpers/fixture-apps';
import { runCli } from '@/test/helpers/processes';
import { snapshotTree } from '@/test/helpers/tree';

let dir: string;
let env: Record<string, string>;
let apps: FixtureApps;
let docker: DockerStandin;
let backupId: string;
let backedUp: ReturnType<typeof snapshot>;

const snapshot = () => ({
  photos: snapshotTree(path.join(apps.appsDir, 'photos')),
  notes: snapshotTree(path.join(apps.appsDir, 'notes')),
  volume: snapshotTree(apps.namedVolumeDir),
});
const objectFile = () => path.join(dir, 'data', 'backups', 'archives', `${backupId}.cob`);

function changeData() {
  writeFileSync(path.join(apps.appsDir, 'photos', 'library', 'new.jpg'), 'new');
  writeFileSync(path.join(apps.appsDir, 'notes', 'data', 'pages', '00', 'page-0.md'), 'changed');
  rmSync(path.join(apps.appsDir, 'photos', 'library', 'favourite.jpg'), { force: true });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-restore-cli-'));
  apps = createFixtureApps(dir, { bigFileBytes: 2 * 1024 * 1024, smallFiles: 100 });
  docker = createDockerStandin(path.join(dir, 'docker'), apps.dockerState);
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: apps.appsDir, ...docker.env };
  writeFileSync(path.join(dir, 'pw'), 'correct horse battery\n');
  const init = await runCli(
    ['init', '--admin-user', 'admin', '--admin-password-file', path.join(dir, 'pw'), '--generate-passphrase'],
    env,
  );
  expect(init.code).toBe(0);
  const backup = await runCli(['backup', '--target', 'Local backups', '--full', '--json'], env);
  expect(backup.code).toBe(0);
  backupId = JSON.parse(backup.stdout).backupId;
  backedUp = snapshot();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cloudos-backup restore and verify', () => {
  it('refuses to restore without --yes and bad requests, changing nothing', async () => {
    changeData();
    const before = snapshot();
    const noYes = await runCli(['restore', backupId], env);
    expect(noYes).toMatchObject({ code: 2, stderr: expect.stringContaining('add --yes to confirm') });
    const unknown = await runCli(['restore', backupId, '--apps', 'nope', '--yes'], env);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('does not hold the app "nope" (it holds: notes, photos)'),
    });
    expect((await runCli(['restore', 'zzz', '--yes'], env)).code).toBe(1);
    expect(snapshot()).toEqual(before);
    const jobs = JSON.parse((await runCli(['jobs', 'list', '--json'], env)).stdout) as { type: string }[];
    expect(jobs.filter((j) => j.type === 'restore')).toEqual([]);
  }, 60_000);

  it('restores the whole backup and prints what it did', async () => {
    changeData();
    docker.clearCalls();
    const run = await runCli(['restore', backupId.slice(0, 8), '--yes', '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'succeeded',
      backupId,
      restored: ['notes', 'photos'],
      rolledBack: [],
    });
    expect(snapshot()).toEqual(backedUp);
    expect(docker.lifecycle()).toEqual(['stop notes app', 'start notes app', 'stop photos web db', 'start photos web db']);
    changeData();
    const text = await runCli(['restore', backupId, '--apps', 'photos', '--yes'], env);
    expect(text.stdout).toBe(`Restored photos from backup ${backupId}.\n`);
    expect(snapshot().photos).toEqual(backedUp.photos);
    expect(snapshot().notes).not.toEqual(backedUp.notes);
  }, 60_000);

  it('verify exits 0 for a sound backup and 1 for a corrupted or missing one', async () => {
    const ok = await runCli(['verify', backupId, '--json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'succeeded', result: 'ok' });
    const original = readFileSync(objectFile());
    const damaged = Buffer.from(original);
    damaged[1000] = (damaged[1000] ?? 0) ^ 0x80;
    writeFileSync(objectFile(), damaged);
    try {
      const bad = await runCli(['verify', backupId], env);
      expect(bad).toMatchObject({ code: 1, stdout: expect.stringContaining(`Backup ${backupId}: corrupted.`) });
      const before = snapshot();
      const restore = await runCli(['restore', backupId, '--yes'], env);
      expect(restore).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('checksum mismatch: the backup is corrupted; nothing was changed'),
      });
      expect(snapshot()).toEqual(before);
      renameSync(objectFile(), `${objectFile()}.away`);
      const missing = await runCli(['verify', backupId, '--json'], env);
      expect(missing.code).toBe(1);
      expect(JSON.parse(missing.stdout)).toMatchObject({ result: 'missing' });
    } finally {
      rmSync(`${objectFile()}.away`, { force: true });
      writeFileSync(objectFile(), original);
    }
    expect(JSON.parse((await runCli(['verify', backupId, '--json'], env)).stdout).result).toBe('ok');
    const shown = JSON.parse((await runCli(['show', backupId, '--json'], env)).stdout);
    expect(shown.verification).toMatchObject({ result: 'ok', message: expect.stringContaining('Every chunk authenticated') });
    expect((await runCli(['show', backupId], env)).stdout).toMatch(/^Verified ok at \d{4}-/m);
  }, 120_000);

  it('restores the system settings and user accounts on their own', async () => {
    const before = snapshot();
    const run = await runCli(['restore', backupId, '--system', '--yes'], env);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('Restored the system settings and user accounts') });
    expect(run.stdout).not.toContain('Restored notes');
    expect(snapshot()).toEqual(before);
  }, 60_000);

  it('exits 1 and says which app was rolled back when its containers cannot start again', async () => {
    changeData();
    const before = snapshot();
    const healthy = docker.state();
    docker.setState({ ...healthy, fail: ['start photos'] });
    try {
      const run = await runCli(['restore', backupId, '--json', '--yes'], env);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: 'failed',
        restored: ['notes'],
        rolledBack: [{ app: 'photos', reason: expect.stringContaining('cannot start photos') }],
      });
      // notes was restored; photos has exactly its data from before the restore.
      expect(snapshot().notes).toEqual(backedUp.notes);
      expect(snapshot().photos).toEqual(before.photos);
      const jobs = JSON.parse((await runCli(['jobs', 'list', '--json'], env)).stdout) as { type: string; status: string }[];
      expect(jobs.find((j) => j.type === 'restore')).toMatchObject({ status: 'failed' });
    } finally {
      docker.setState(healthy);
    }
  }, 60_000);
});
