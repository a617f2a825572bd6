import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setConsistencyMode } from '@/lib/core/apps/app-settings';
import { AppError } from '@/lib/core/errors';
import type { ProgressUpdate } from '@/lib/core/jobs/job-progress';
import { loadBackupKeys } from '@/lib/core/keys/backup-keys';
import { S3Target } from '@/lib/core/storage/s3-target';
import type { StorageTarget } from '@/lib/core/storage/storage-target';
import { createTarget, openTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness, extractBackup, sha256OfObject } from '@/test/helpers/backup-harness';
import { createRemoteDir, createTestBucket, startRadosgw, startSshd } from '@/test/helpers/services';
import { snapshotTree } from '@/test/helpers/tree';
import { type BackupContents, manifestMacValid } from './manifest';
import { readManifest } from './repository';

let harness: BackupHarness;
let s3: Record<string, string>;
let sftp: Record<string, string>;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  harness = await createBackupHarness();
  // The notes app holds a SQLite file (stopped by default); the user chose "live" for it.
  await setConsistencyMode(harness.instance.db, 'notes', 'live');
  s3 = startRadosgw();
  sftp = startSshd();
  const localDir = mkdtempSync(path.join(tmpdir(), 'cloudos-backup-target-'));
  cleanups.push(() => rmSync(localDir, { recursive: true, force: true }));
  const remoteDir = createRemoteDir(sftp, 'backups');
  cleanups.push(() => rmSync(remoteDir, { recursive: true, force: true }));
  const { db } = harness.instance;
  await createTarget(db, harness.instanceKey, { kind: 'local', name: 'local', path: localDir });
  await createTarget(db, harness.instanceKey, {
    kind: 's3',
    name: 's3',
    endpoint: s3.S3_ENDPOINT,
    region: 'us-east-1',
    bucket: await createTestBucket(s3, 'backups'),
    accessKeyId: s3.S3_ACCESS_KEY_ID,
    secretAccessKey: s3.S3_SECRET_ACCESS_KEY,
    prefix: 'home',
  });
  await createTarget(db, harness.instanceKey, {
    kind: 'sftp',
    name: 'sftp',
    host: sftp.SFTP_HOST,
    port: Number(sftp.SFTP_PORT),
    username: sftp.SFTP_USERNAME,
    auth: { method: 'password', password: sftp.SFTP_PASSWORD },
    remotePath: remoteDir,
  });
}, 180_000);
afterAll(async () => {
  await harness?.cleanup();
  for (const cleanup of cleanups) cleanup();
});

async function keysUnder(target: StorageTarget, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of target.list(prefix)) keys.push(object.key);
  return keys;
}

/** Writes to a SQLite database from another process until stopped (a busy app or web UI). */
function startSqliteWriter(databasePath: string, insertSql: string) {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(databasePath)}, { timeout: 10000 });
    const insert = db.prepare(${JSON.stringify(insertSql)});
    let i = 0;
    setInterval(() => { for (let n = 0; n < 50; n++) insert.run('row ' + (i++), 'x'.repeat(500)); }, 5);`;
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: 'ignore' });
  return () => child.kill('SIGKILL');
}

/** The leftovers a target may hold besides finished objects: temp files, open uploads. */
async function leftovers(name: string): Promise<string[]> {
  const hidden: string[] = [];
  const row = await harness.instance.db.target.findUniqueOrThrow({ where: { name } });
  const config = JSON.parse(row.config) as { path?: string; remotePath?: string; bucket?: string; prefix?: string };
  const dir = config.path ?? config.remotePath;
  if (dir) {
    const walk = (d: string) => {
      if (!existsSync(d)) return;
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) hidden.push(entry.name);
        if (entry.isDirectory()) walk(path.join(d, entry.name));
      }
    };
    walk(dir);
  }
  if (name === 's3') {
    const s3Target = new S3Target({
      endpoint: s3.S3_ENDPOINT,
      region: 'us-east-1',
      bucket: config.bucket ?? '',
      accessKeyId: s3.S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '',
      prefix: config.prefix,
    });
    for (const upload of await s3Target.listOpenUploads()) hidden.push(`multipart upload of ${upload.key}`);
    await s3Target.close();
  }
  return hidden;
}

describe.each(['local', 's3', 'sftp'])('a full-system backup to %s', (targetName) => {
  let result: Awaited<ReturnType<BackupHarness['backup']>>;
  let target: StorageTarget;

  beforeAll(async () => {
    harness.docker.clearCalls();
    harness.logs.length = 0;
    target = await openTarget(harness.instance.db, harness.instanceKey, targetName);
    // The web UI writes to the instance database and the notes app to its own, meanwhile.
    const stopWriters = [
      startSqliteWriter(harness.instance.databasePath, 'INSERT INTO Setting (key, value, updatedAt) VALUES (?, ?, 0)'),
      startSqliteWriter(
        path.join(harness.apps.appsDir, 'notes', 'data', 'notes.sqlite'),
        'INSERT INTO note (body) VALUES (? || ?)',
      ),
    ];
    try {
      result = await harness.backup({ target: targetName, scope: 'full' });
    } finally {
      for (const stop of stopWriters) stop();
    }
  }, 300_000);
  afterAll(() => target?.close());

  it('records the backup with the SHA-256 of exactly the bytes on the target', async () => {
    const row = await harness.instance.db.backup.findUniqueOrThrow({ where: { id: result.backupId } });
    expect(row.status).toBe('succeeded');
    expect(row.apps).toBe(JSON.stringify(['notes', 'photos']));
    expect(row.sha256).toBe(result.sha256);
    expect(await sha256OfObject(target, result.objectKey)).toBe(result.sha256);
    expect((await target.stat(result.objectKey))?.size).toBe(Number(row.storedBytes));
    const manifest = await readManifest(target, result.backupId);
    expect(manifest?.sha256).toBe(result.sha256);
    const { masterKey } = await loadBackupKeys(harness.instance.db, harness.instanceKey);
    expect(manifest && manifestMacValid(masterKey, manifest)).toBe(true);
    expect(manifest && manifestMacValid(masterKey, { ...manifest, storedBytes: manifest.storedBytes + 1 })).toBe(false);
    expect(await keysUnder(target, 'keys/')).toHaveLength(1);
    expect(await leftovers(targetName)).toEqual([]);
  });

  it('holds every app volume as it was: content, modes, times, symlinks, empty dirs', async () => {
    const dest = await extractBackup(harness, target, result.objectKey);
    const photos = path.join(harness.apps.appsDir, 'photos');
    const volumes = path.join(dest, 'apps', 'photos', 'volumes');
    expect(snapshotTree(path.join(volumes, 'library'))).toEqual(snapshotTree(path.join(photos, 'library')));
    expect(snapshotTree(path.join(volumes, 'db-data'))).toEqual(snapshotTree(harness.apps.namedVolumeDir));
    expect(readFileSync(path.join(volumes, 'config.yml', 'config.yml'), 'utf8')).toBe('thumbnails: true\n');
    expect(readdirSync(path.join(dest, 'apps', 'photos', 'compose')).sort()).toEqual(['.env', 'docker-compose.yml']);
    const notesData = path.join(harness.apps.appsDir, 'notes', 'data', 'pages');
    expect(snapshotTree(path.join(dest, 'apps', 'notes', 'volumes', 'data', 'pages'))).toEqual(snapshotTree(notesData));
    expect(existsSync(path.join(dest, 'apps', 'broken'))).toBe(false);
    const snapshot = new Database(path.join(dest, 'system', 'cloudos.db'), { readonly: true });
    expect(snapshot.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((snapshot.prepare('SELECT count(*) AS n FROM User').get() as { n: number }).n).toBe(1);
    snapshot.close();

    const contents = JSON.parse(readFileSync(path.join(dest, 'manifest.json'), 'utf8')) as BackupContents;
    const row = await harness.instance.db.backup.findUniqueOrThrow({ where: { id: result.backupId } });
    expect(JSON.parse(row.manifest ?? '')).toEqual(contents);
    const photosEntry = contents.apps.find((a) => a.id === 'photos');
    expect(photosEntry?.consistency).toBe('stop');
    expect(photosEntry?.volumes.map((v) => [v.name, v.kind, v.entryType])).toEqual([
      ['library', 'bind', 'directory'],
      ['config.yml', 'bind', 'file'],
      ['db-data', 'named', 'directory'],
    ]);
    expect(photosEntry?.skipped).toEqual([{ source: '/etc/localtime', reason: 'a system path of the host, not app data' }]);
    const library = photosEntry?.volumes.find((v) => v.name === 'library');
    expect(library?.bytes).toBeGreaterThan(50 * 1024 * 1024);
    // The pages, compose.yaml, notes.sqlite and, while the writer has it open, its -wal and -shm.
    expect(contents.apps.find((a) => a.id === 'notes')?.files).toBeGreaterThanOrEqual(10_000 + 2);
    expect(contents.files).toBe(row.fileCount);
    rmSync(dest, { recursive: true, force: true });
  });

  it('stopped exactly the running containers of the app that needs it, and started them again', () => {
    expect(harness.docker.lifecycle()).toEqual(['stop photos web db', 'start photos web db']);
    expect(harness.docker.calls().filter((c) => c.unexpected)).toEqual([]);
    expect(harness.docker.state().projects.photos?.containers.map((c) => c.State)).toEqual(['running', 'running', 'exited']);
    expect(harness.logs.some((l) => l.level === 'warn' && l.message.includes('broken'))).toBe(true);
  });
});

async function latestBackup() {
  return harness.instance.db.backup.findFirstOrThrow({ orderBy: { startedAt: 'desc' } });
}

async function assertNothingStored(targetName: string, backupId: string) {
  const target = await openTarget(harness.instance.db, harness.instanceKey, targetName);
  try {
    expect(await target.stat(`archives/${backupId}.cob`)).toBeNull();
    expect(await target.stat(`manifests/${backupId}.json`)).toBeNull();
  } finally {
    await target.close();
  }
  expect(await leftovers(targetName)).toEqual([]);
}

describe('progress', () => {
  it('ends exactly at the total announced when nothing changes meanwhile: 100 % means done', async () => {
    const updates: ProgressUpdate[] = [];
    const done = await harness.backup(
      { target: 'local', scope: 'apps', apps: ['photos'] },
      { reportProgress: (update) => updates.push({ ...update }) },
    );
    const total = updates.find((u) => u.bytesTotal !== undefined)?.bytesTotal;
    const last = updates.filter((u) => u.bytesDone !== undefined).at(-1);
    expect(total).toBeGreaterThan(50 * 1024 * 1024);
    expect(last).toMatchObject({ phase: 'Finalising', bytesDone: total, filesDone: done.fileCount, message: null });
    expect(done.logicalBytes).toBe(total);
    const phases = [...new Set(updates.map((u) => u.phase).filter(Boolean))];
    expect(phases).toEqual(['Preparing the target', 'Archiving photos', 'Stopping photos', 'Finalising']);
  }, 120_000);

  it('samples the files as they are archived instead of reporting each of 10,000', async () => {
    const updates: ProgressUpdate[] = [];
    const started = Date.now();
    const done = await harness.backup(
      { target: 'local', scope: 'apps', apps: ['notes'] },
      { reportProgress: (update) => updates.push({ ...update }) },
    );
    const seconds = (Date.now() - started) / 1000;
    const files = updates.filter((u) => u.phase === 'Archiving notes' && u.filesDone !== undefined);
    expect(done.fileCount).toBeGreaterThan(10_000);
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(seconds * 20 + 1); // one sample per 50 ms at most
    expect(files[0]).toMatchObject({
      currentItem: expect.stringMatching(/^apps\/notes\//),
      message: expect.stringMatching(/MB\/s/),
    });
    expect(updates.at(-1)).toMatchObject({ phase: 'Finalising', filesDone: done.fileCount });
  }, 120_000);
});

describe.each(['local', 's3', 'sftp'])('a backup to %s cancelled mid-upload', (targetName) => {
  it('leaves no object, no partial upload, no successful catalog entry, and the app running', async () => {
    harness.docker.clearCalls();
    const controller = new AbortController();
    const run = harness.backup(
      { target: targetName, scope: 'apps', apps: ['photos'] },
      {
        signal: controller.signal,
        reportProgress: (update) => {
          if ((update.bytesDone ?? 0) > 20 * 1024 * 1024) controller.abort(new AppError('cancelled', 'Cancelled by the user.'));
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    const row = await latestBackup();
    expect(row).toMatchObject({ status: 'cancelled', errorCode: 'cancelled', sha256: null, quiesced: null });
    await assertNothingStored(targetName, row.id);
    expect(harness.docker.lifecycle()).toEqual(['stop photos web db', 'start photos web db']);
    expect(await harness.instance.db.appLock.count()).toBe(0);
  }, 120_000);
});

describe('a backup whose target fails mid-upload', () => {
  it('is marked failed with the target’s reason, stores nothing and starts the app again', async () => {
    const user = `suspended-${Date.now().toString(36)}`;
    const conf = path.join(process.env.CLOUDOS_SERVICES_DIR ?? '/tmp/cloudos-services', 'radosgw', 'ceph.conf');
    const keys = { accessKeyId: `AK${user.replace(/[^a-z0-9]/g, '').toUpperCase()}`, secretAccessKey: `secret-${user}` };
    execFileSync(
      'radosgw-admin',
      [
        '-c',
        conf,
        'user',
        'create',
        `--uid=${user}`,
        `--display-name=${user}`,
        `--access-key=${keys.accessKeyId}`,
        `--secret-key=${keys.secretAccessKey}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    );
    const bucket = await createTestBucket(
      { ...s3, S3_ACCESS_KEY_ID: keys.accessKeyId, S3_SECRET_ACCESS_KEY: keys.secretAccessKey },
      'failing',
    );
    await createTarget(harness.instance.db, harness.instanceKey, {
      kind: 's3',
      name: 'failing',
      endpoint: s3.S3_ENDPOINT,
      region: 'us-east-1',
      bucket,
      ...keys,
    });
    harness.docker.clearCalls();
    harness.logs.length = 0;
    let suspended = false;
    const run = harness.backup(
      { target: 'failing', scope: 'apps', apps: ['photos'] },
      {
        reportProgress: (update) => {
          if (!suspended && (update.bytesDone ?? 0) > 20 * 1024 * 1024) {
            suspended = true; // the account is suspended while its upload runs
            execFileSync('radosgw-admin', ['-c', conf, 'user', 'suspend', `--uid=${user}`], { stdio: 'ignore', timeout: 60_000 });
          }
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: expect.stringMatching(/access_denied|auth_failed/) });
    expect(suspended).toBe(true);
    const row = await latestBackup();
    expect(row.status).toBe('failed');
    expect(row.errorMessage).toMatch(/Access denied to bucket .*s3:PutObject/);
    expect(harness.docker.lifecycle()).toEqual(['stop photos web db', 'start photos web db']);
    execFileSync('radosgw-admin', ['-c', conf, 'user', 'enable', `--uid=${user}`], { stdio: 'ignore', timeout: 60_000 });
    // A suspended account may not even abort its upload: the log says so, and once the
    // account works again the parts are removable (what the cleanup of failed uploads does).
    expect(harness.logs.some((l) => l.message.startsWith('The partial upload could not be removed'))).toBe(true);
    const target = new S3Target({ endpoint: s3.S3_ENDPOINT, region: 'us-east-1', bucket, ...keys });
    try {
      expect(await keysUnder(target, 'archives/')).toEqual([]);
      expect(await keysUnder(target, 'manifests/')).toEqual([]);
      await target.discardPartial(row.objectKey);
      expect(await target.listOpenUploads()).toEqual([]);
    } finally {
      await target.close();
    }
  }, 120_000);
});

describe('a backup that cannot start', () => {
  it('asking for an app that does not exist: fails before Docker or the target is asked anything', async () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'cloudos-backup-untouched-'));
    cleanups.push(() => rmSync(emptyDir, { recursive: true, force: true }));
    await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'untouched', path: emptyDir });
    harness.docker.clearCalls();
    const before = await harness.instance.db.backup.count();
    await expect(harness.backup({ target: 'untouched', scope: 'apps', apps: ['photos', 'fotos'] })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/There is no app "fotos" \(apps: .*photos/),
    });
    expect(harness.docker.calls()).toEqual([]);
    expect(readdirSync(emptyDir)).toEqual([]); // not even the repository's marker
    expect(await harness.instance.db.backup.count()).toBe(before);
    expect(await harness.instance.db.appLock.count()).toBe(0);
  });

  it('to a target whose directory is gone: recorded as failed with the fix, and no app stopped', async () => {
    const goneDir = mkdtempSync(path.join(tmpdir(), 'cloudos-backup-gone-'));
    await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'gone', path: goneDir });
    rmSync(goneDir, { recursive: true });
    harness.docker.clearCalls();
    await expect(harness.backup({ target: 'gone', scope: 'apps', apps: ['photos'] })).rejects.toMatchObject({
      code: 'misconfigured',
    });
    const row = await latestBackup();
    expect(row).toMatchObject({ status: 'failed', errorCode: 'misconfigured', sha256: null, quiesced: null });
    expect(row.errorMessage).toBe(`The backup directory ${goneDir} does not exist. Create it, or choose another.`);
    expect(harness.docker.lifecycle()).toEqual([]); // photos is stopped only once the target is ready
    expect(existsSync(goneDir)).toBe(false);
    expect(await harness.instance.db.appLock.count()).toBe(0);
  });
});
