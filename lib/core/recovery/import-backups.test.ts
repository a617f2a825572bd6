import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeBackupPassphrase, loadBackupKeys } from '@/lib/core/keys/backup-keys';
import { loadKeyRing } from '@/lib/core/keys/key-ring';
import { planCatalog } from '@/lib/core/retention/apply-retention';
import { initializeInstance } from '@/lib/core/setup/initialize-instance';
import { removeTarget } from '@/lib/core/targets/remove-target';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { importBackups } from './import-backups';

const A_PASSPHRASE = 'a long enough backup passphrase'; // the harness's
const C_PASSPHRASE = 'the passphrase of another server';
let repository: string;
let a: BackupHarness;
let c: BackupHarness;
let aFull: string;
let aApps: string;
let cFull: string;
const fresh: { instance: TempInstance; key: Buffer }[] = [];

/** A newly set-up instance with the repository as its target "nas". */
async function newInstance(passphrase: string) {
  const instance = createTempInstance();
  const key = randomBytes(32);
  fresh.push({ instance, key });
  await initializeInstance(instance.db, key, {
    username: 'admin',
    password: 'correct horse battery',
    passphrase: { mode: 'choose', value: passphrase },
  });
  await createTarget(instance.db, key, { kind: 'local', name: 'nas', path: repository });
  return { db: instance.db, key };
}

/** Runs `change` on a file of the repository and puts it back afterwards. */
async function withChanged<T>(file: string, change: () => void, run: () => Promise<T>): Promise<T> {
  const saved = path.join(repository, '.saved');
  const original = readFileSync(file);
  try {
    change();
    return await run();
  } finally {
    rmSync(saved, { force: true });
    writeFileSync(file, original);
  }
}

beforeAll(async () => {
  repository = mkdtempSync(path.join(tmpdir(), 'cloudos-import-'));
  a = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 10 });
  await createTarget(a.instance.db, a.instanceKey, { kind: 'local', name: 'nas', path: repository });
  aFull = (await a.backup({ target: 'nas', scope: 'full' })).backupId;
  aApps = (await a.backup({ target: 'nas', scope: 'apps', apps: ['notes'] })).backupId;
  // Another server backing up to the same place, under a passphrase of its own.
  c = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 10 });
  await changeBackupPassphrase(c.instance.db, c.instanceKey, { current: A_PASSPHRASE, next: C_PASSPHRASE });
  await createTarget(c.instance.db, c.instanceKey, { kind: 'local', name: 'nas', path: repository });
  cFull = (await c.backup({ target: 'nas', scope: 'full' })).backupId;
}, 120_000);
afterAll(async () => {
  await a?.cleanup();
  await c?.cleanup();
  for (const f of fresh) await f.instance.cleanup();
  rmSync(repository, { recursive: true, force: true });
});

describe('importing a repository shared by two servers', () => {
  it('imports only the backups the passphrase opens; the other server’s come with its own passphrase', async () => {
    const b = await newInstance('the new server passphrase');
    const first = await importBackups(b.db, b.key, 'nas', { passphrase: A_PASSPHRASE });
    expect(first.imported.map((x) => x.id)).toEqual([aApps, aFull]);
    expect(first.refused).toEqual([{ id: cFull, reason: expect.stringContaining('No key this instance holds opens it') }]);
    expect(first.adoptedKeyId).toBeNull();
    const aKeyId = (await loadBackupKeys(a.instance.db, a.instanceKey)).keyFile.keyId;
    expect(first.keysAdded).toEqual([aKeyId]);
    const row = await b.db.backup.findUniqueOrThrow({ where: { id: aFull } });
    expect(row).toMatchObject({ status: 'succeeded', scope: 'full', keyId: aKeyId, importedAt: expect.any(Date) });
    expect(row.sha256).toBe((await a.instance.db.backup.findUniqueOrThrow({ where: { id: aFull } })).sha256);

    const second = await importBackups(b.db, b.key, 'nas', { passphrase: C_PASSPHRASE });
    expect(second).toMatchObject({ imported: [{ id: cFull }], refused: [] });
    expect(second.known.sort()).toEqual([aApps, aFull].sort());
    expect((await loadKeyRing(b.db, b.key)).ids()).toHaveLength(3); // its own, A's and C's
    expect(await b.db.backup.count()).toBe(3);
    // Imported backups fall under retention like any other: the target's "keep last 1".
    await b.db.target.update({ where: { name: 'nas' }, data: { keepLast: 1 } });
    const plan = await planCatalog(b.db, 'UTC');
    expect([aFull, aApps, cFull].map((id) => plan.get(id)?.action)).toEqual(['delete', 'delete', 'keep']);
  }, 60_000);

  it('brings back backups forgotten with their target, without a passphrase', async () => {
    const before = await a.instance.db.backup.findMany({ where: { id: { in: [aFull, aApps] } }, orderBy: { id: 'asc' } });
    await removeTarget(a.instance.db, 'nas', { forgetBackups: true });
    await createTarget(a.instance.db, a.instanceKey, { kind: 'local', name: 'nas again', path: repository });
    const report = await importBackups(a.instance.db, a.instanceKey, 'nas again');
    expect(report.imported.map((x) => x.id)).toEqual([aApps, aFull]);
    expect(report.refused).toEqual([{ id: cFull, reason: expect.stringContaining('No key this instance holds opens it') }]);
    const after = await a.instance.db.backup.findMany({ where: { id: { in: [aFull, aApps] } }, orderBy: { id: 'asc' } });
    const same = (rows: typeof before) =>
      rows.map((r) => [r.id, r.scope, r.apps, r.sha256, r.storedBytes, r.manifest, r.startedAt]);
    expect(same(after)).toEqual(same(before));
  }, 60_000);

  it('adopts the old key when set up with the old passphrase and no backup made yet', async () => {
    const b = await newInstance(A_PASSPHRASE);
    const report = await importBackups(b.db, b.key, 'nas', { passphrase: A_PASSPHRASE });
    const aKeys = await loadBackupKeys(a.instance.db, a.instanceKey);
    expect(report).toMatchObject({ adoptedKeyId: aKeys.keyFile.keyId, keysAdded: [] });
    const own = await loadBackupKeys(b.db, b.key);
    expect(own.masterKey.equals(aKeys.masterKey)).toBe(true);
    expect(await b.db.masterKey.count()).toBe(0);
    // A rescan with the same passphrase changes nothing (the key is its own now).
    expect(await importBackups(b.db, b.key, 'nas', { passphrase: A_PASSPHRASE })).toMatchObject({
      imported: [],
      adoptedKeyId: null,
    });
  }, 60_000);

  it('opens a key whose key file is gone, or damaged, from an archive header’s copy', async () => {
    const aKeyId = (await loadBackupKeys(a.instance.db, a.instanceKey)).keyFile.keyId;
    const keyFile = path.join(repository, 'keys', `${aKeyId}.json`);
    const gone = await withChanged(
      keyFile,
      () => renameSync(keyFile, path.join(repository, '.saved')),
      async () => {
        const b = await newInstance('the new server passphrase');
        return importBackups(b.db, b.key, 'nas', { passphrase: A_PASSPHRASE });
      },
    );
    expect(gone.imported.map((x) => x.id)).toEqual([aApps, aFull]);
    const damaged = await withChanged(
      keyFile,
      () =>
        writeFileSync(
          keyFile,
          readFileSync(keyFile, 'utf8').replace(/"ciphertext": "[^"]+"/, `"ciphertext": "${randomBytes(48).toString('base64')}"`),
        ),
      async () => {
        const b = await newInstance('the new server passphrase');
        return importBackups(b.db, b.key, 'nas', { passphrase: A_PASSPHRASE });
      },
    );
    expect(damaged.imported.map((x) => x.id)).toEqual([aApps, aFull]);
  }, 60_000);

  it('reports a key file that no longer matches the key it holds, and goes on with the others', async () => {
    const aKeyId = (await loadBackupKeys(a.instance.db, a.instanceKey)).keyFile.keyId;
    const cKeyFile = (await loadBackupKeys(c.instance.db, c.instanceKey)).keyFile;
    const keyFile = path.join(repository, 'keys', `${aKeyId}.json`);
    // A's key file replaced by C's wrapped key under A's id: C's passphrase unwraps a key that is not A's.
    const report = await withChanged(
      keyFile,
      () => writeFileSync(keyFile, JSON.stringify({ ...cKeyFile, keyId: aKeyId })),
      async () => {
        const b = await newInstance('the new server passphrase');
        return importBackups(b.db, b.key, 'nas', { passphrase: C_PASSPHRASE });
      },
    );
    expect(report.keyProblems).toEqual([expect.stringContaining(`keys/${aKeyId}.json no longer matches the key it holds`)]);
    expect(report.imported.map((x) => x.id)).toEqual([cFull]);
  }, 60_000);

  it('refuses a manifest whose archive is missing or truncated, naming why', async () => {
    const archive = path.join(repository, 'archives', `${aApps}.cob`);
    const report = await withChanged(
      archive,
      () => writeFileSync(archive, readFileSync(archive).subarray(0, 100)),
      async () => {
        const b = await newInstance('the new server passphrase');
        return importBackups(b.db, b.key, 'nas', { passphrase: A_PASSPHRASE });
      },
    );
    expect(report.imported.map((x) => x.id)).toEqual([aFull]);
    expect(report.refused).toContainEqual({
      id: aApps,
      reason: expect.stringMatching(/holds 100 bytes, the manifest says \d+: truncated/),
    });
  }, 60_000);

  it('says which version a newer repository has, and changes nothing', async () => {
    const marker = path.join(repository, 'cloudos-backup.json');
    const b = await newInstance('the new server passphrase');
    await withChanged(
      marker,
      () => writeFileSync(marker, '{"format":"cloudos-backup-repository","version":2}\n'),
      async () => {
        await expect(importBackups(b.db, b.key, 'nas', { passphrase: A_PASSPHRASE })).rejects.toMatchObject({
          code: 'misconfigured',
          message: expect.stringContaining('has format version 2; this version of Cloud OS Backups reads version 1'),
        });
      },
    );
    expect(await b.db.backup.count()).toBe(0);
    expect(readdirSync(repository).sort()).toEqual(['archives', 'cloudos-backup.json', 'keys', 'manifests']);
  }, 60_000);
});
