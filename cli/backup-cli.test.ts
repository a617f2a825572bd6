import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerStandin, type DockerStandin } from '@/test/helpers/docker-standin';
import { createFixtureApps } from '@/test/helpers/fixture-apps';
import { runCli, startWorker } from '@/test/helpers/processes';
import { waitFor } from '@/test/helpers/wait-for';

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;
let env: Record<string, string>;
let docker: DockerStandin;
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const sha256File = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-backup-cli-'));
  const apps = createFixtureApps(dir, { bigFileBytes: 8 * 1024 * 1024, smallFiles: 200 });
  docker = createDockerStandin(path.join(dir, 'docker'), apps.dockerState);
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: apps.appsDir, ...docker.env };
  const init = await runCli(
    ['init', '--admin-user', 'admin', '--admin-password-file', file('pw', 'correct horse battery\n'), '--generate-passphrase'],
    env,
  );
  expect(init.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cloudos-backup apps, backup, list, show', () => {
  it('lists the apps with their state, mode and problems', async () => {
    const list = await runCli(['apps', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const { apps, docker: availability } = JSON.parse(list.stdout);
    expect(availability).toBe('available');
    expect(apps.map((a: { id: string; running: boolean; consistency: string }) => [a.id, a.running, a.consistency])).toEqual([
      ['broken', false, 'live'],
      ['notes', true, 'stop'],
      ['photos', true, 'stop'],
    ]);
    expect(apps[0].error).toMatch(/docker-compose.yml cannot be read/);
    const text = await runCli(['apps', 'list'], env);
    expect(text.stdout).toMatch(/photos\s+running\s+stop\s+3/);
  });

  it('backs up chosen apps and prints the id and the SHA-256 of the stored object', async () => {
    docker.clearCalls();
    const run = await runCli(['backup', '--target', 'Local backups', '--apps', 'photos', '--json'], env);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ status: 'succeeded', backupId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const stored = path.join(dir, 'data', 'backups', 'archives', `${out.backupId}.cob`);
    expect(sha256File(stored)).toBe(out.sha256);
    expect(docker.lifecycle()).toEqual(['stop photos web db', 'start photos web db']);

    const text = await runCli(['backup', '--target', 'Local backups', '--full'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Backup [0-9a-f]{32} stored on Local backups \(.+\)\.\nSHA-256 [0-9a-f]{64}\n$/);

    const list = JSON.parse((await runCli(['list', '--json'], env)).stdout);
    expect(list.map((b: { scope: string; status: string }) => [b.scope, b.status])).toEqual([
      ['full', 'succeeded'],
      ['apps', 'succeeded'],
    ]);
    const show = await runCli(['show', out.backupId.slice(0, 8), '--json'], env);
    expect(JSON.parse(show.stdout)).toMatchObject({
      id: out.backupId,
      sha256: out.sha256,
      contents: { apps: [{ id: 'photos', volumes: [{ name: 'library' }, { name: 'config.yml' }, { name: 'db-data' }] }] },
    });
    const human = await runCli(['show', out.backupId], env);
    expect(human.stdout).toContain(`SHA-256  ${out.sha256}`);
    expect(human.stdout).toContain('skipped /etc/localtime: a system path of the host, not app data');
  }, 120_000);

  it('explains bad requests and changes nothing', async () => {
    const before = (await runCli(['list', '--json'], env)).stdout;
    const both = await runCli(['backup', '--target', 'Local backups', '--full', '--apps', 'photos'], env);
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('give exactly one of --full or --apps') });
    const target = await runCli(['backup', '--target', 'Elsewhere', '--full'], env);
    expect(target).toMatchObject({ code: 1, stderr: expect.stringContaining('There is no target named "Elsewhere"') });
    const app = await runCli(['backup', '--target', 'Local backups', '--apps', 'nope'], env);
    expect(app).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no app "nope" (apps: broken, notes, photos)'),
    });
    const broken = await runCli(['backup', '--target', 'Local backups', '--apps', 'broken'], env);
    expect(broken.stderr).toContain('The app "broken" cannot be backed up');
    expect((await runCli(['list', '--json'], env)).stdout).toBe(before);
    expect((await runCli(['show', 'zzz'], env)).stderr).toContain('A backup id is 32 hex digits');
    expect((await runCli(['show', 'abcdef'], env)).stderr).toContain('There is no backup abcdef');
  }, 60_000);

  it('demo-apps creates sample apps once and never touches existing ones', async () => {
    const appsDir = path.join(dir, 'demo');
    const demoEnv = { ...env, CLOUDOS_APPS_DIR: appsDir };
    const first = await runCli(['demo-apps', '--json'], demoEnv);
    expect(JSON.parse(first.stdout)).toEqual({ appsDir, created: ['photos', 'notes', 'vault'] });
    const db = new Database(path.join(appsDir, 'notes', 'data', 'notes.sqlite'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM note').get() as { n: number }).n).toBe(500);
    db.close();
    const before = sha256File(path.join(appsDir, 'vault', 'vw-data', 'db.sqlite3'));
    const second = await runCli(['demo-apps'], demoEnv);
    expect(second).toMatchObject({ code: 1, stderr: expect.stringContaining('never touches existing apps') });
    expect(sha256File(path.join(appsDir, 'vault', 'vw-data', 'db.sqlite3'))).toBe(before);
    const apps = JSON.parse((await runCli(['apps', 'list', '--json'], demoEnv)).stdout).apps;
    expect(apps.map((a: { id: string; error: string | null }) => [a.id, a.error])).toEqual([
      ['notes', null],
      ['photos', null],
      ['vault', null],
    ]);
  }, 60_000);
});

describe('a backup whose process is killed', () => {
  it('is failed and cleaned up by the worker on its next start, and the stopped app starts again', async () => {
    const big = createFixtureApps(path.join(dir, 'big'), { bigFileBytes: 600 * 1024 * 1024, smallFiles: 10 });
    const killEnv = { ...env, CLOUDOS_APPS_DIR: big.appsDir };
    docker.clearCalls();
    const child: ChildProcess = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'cloudos-backup.mjs'), 'backup', '--target', 'Local backups', '--apps', 'photos'],
      {
        cwd: ROOT,
        env: { ...process.env, ...killEnv },
        stdio: 'ignore',
        // Its own process group: bin/cloudos-backup.mjs re-executes node, and both must die.
        detached: true,
      },
    );
    const killAll = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const archives = path.join(dir, 'data', 'backups', 'archives');
    const db = new Database(path.join(dir, 'data', 'cloudos.db'), { readonly: true });
    try {
      // Killed once the app is stopped and the upload has bytes in its temporary file.
      await waitFor(
        () =>
          docker.lifecycle().includes('stop photos web db') &&
          existsSync(archives) &&
          readdirSync(archives).some((n) => n.startsWith('.') && statSync(path.join(archives, n)).size > 1024 * 1024),
        'the backup to be uploading',
        60_000,
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killAll();
      await exited;
      const running = db.prepare("SELECT id FROM Backup WHERE status = 'running'").all() as { id: string }[];
      expect(running).toHaveLength(1);
      expect(readdirSync(archives).filter((n) => n.startsWith('.'))).not.toEqual([]);
      expect(docker.lifecycle()).toEqual(['stop photos web db']);

      const worker = startWorker(killEnv);
      try {
        await waitFor(
          () =>
            (db.prepare('SELECT status FROM Backup WHERE id = ?').get(running[0]?.id) as { status: string }).status === 'failed',
          'the worker to recover the backup',
          60_000,
        );
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
      const row = db.prepare('SELECT * FROM Backup WHERE id = ?').get(running[0]?.id) as Record<string, unknown>;
      expect(row).toMatchObject({ status: 'failed', errorCode: 'interrupted', quiesced: null, sha256: null });
      const job = db.prepare('SELECT status, errorCode FROM Job WHERE id = ?').get(row.jobId) as Record<string, unknown>;
      expect(job).toEqual({ status: 'failed', errorCode: 'interrupted' });
      expect(readdirSync(archives).filter((n) => n.includes(String(row.id)))).toEqual([]);
      expect(existsSync(path.join(dir, 'data', 'backups', 'manifests', `${row.id}.json`))).toBe(false);
      expect(docker.lifecycle()).toEqual(['stop photos web db', 'start photos web db']);
      expect(db.prepare('SELECT count(*) AS n FROM AppLock').get()).toEqual({ n: 0 });
    } finally {
      db.close();
      killAll();
    }
  }, 180_000);
});
