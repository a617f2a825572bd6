import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '@/lib/core/auth/sign-in';
import { createDb } from '@/lib/core/db/client';
import type { ImportReport } from '@/lib/core/recovery/import-backups';
import { newServerEnv, type OldServer, runAndLoseOldServer, TARGET_NAMES } from '@/test/helpers/old-server';
import { runCli } from '@/test/helpers/processes';
import type { RealTargetKind } from '@/test/helpers/real-targets';
import { snapshotTree } from '@/test/helpers/tree';

const KINDS: RealTargetKind[] = ['local', 's3', 'sftp'];
let root: string;
let old: OldServer;

async function ok(args: string[], env: Record<string, string>): Promise<string> {
  const result = await runCli(args, env);
  expect(result.code, `${args.join(' ')}: ${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout;
}

/** A new server set up with a passphrase of its own, as `init` on a fresh install does. */
async function freshServer(name: string) {
  const server = newServerEnv(root, name);
  const password = path.join(root, `${name}-password`);
  const passphrase = path.join(root, `${name}-passphrase`);
  writeFileSync(password, 'the new admin password\n');
  writeFileSync(passphrase, `a passphrase of the new server ${name}\n`);
  await ok(['init', '--admin-user', 'newadmin', '--admin-password-file', password, '--passphrase-file', passphrase], server.env);
  return server;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'cloudos-dr-'));
  old = await runAndLoseOldServer(root, KINDS);
}, 240_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(KINDS)('a dead server restored from its %s target with the passphrase alone', (kind) => {
  it('imports every backup, restores the system and the apps, and A’s admin, targets and schedules are back', async () => {
    const server = await freshServer(`new-${kind}`);
    await ok(old.addArgs(kind, 'found'), server.env);
    const report = JSON.parse(
      await ok(['targets', 'import', 'found', '--passphrase-file', old.passphraseFile, '--json'], server.env),
    ) as ImportReport;
    const onTarget = old.backupIds.filter((id) => id === old.full[kind] || (kind === 'local' && id === old.beforeChange));
    expect(report.imported.map((b) => b.id).sort()).toEqual([...onTarget].sort());
    expect(report).toMatchObject({ refused: [], known: [], keyProblems: [], adoptedKeyId: null });
    expect(report.keysAdded).toHaveLength(1);

    const restored = JSON.parse(
      await ok(['restore', old.full[kind], '--system', '--apps', 'photos,notes,wiki', '--yes', '--json'], server.env),
    );
    expect(restored).toMatchObject({ status: 'succeeded', restored: ['photos', 'notes', 'wiki'], rolledBack: [], system: true });
    for (const app of ['photos', 'notes', 'wiki'] as const)
      expect(snapshotTree(path.join(server.appsDir, app)), app).toEqual(old.trees[app]);
    // The named volumes were created through the engine under the names the Compose files use.
    const volumes = server.docker.state().volumes;
    expect(Object.keys(volumes).sort()).toEqual(Object.keys(old.trees.volumes).sort());
    for (const [name, tree] of Object.entries(old.trees.volumes))
      expect(snapshotTree(volumes[name] as string), name).toEqual(tree);

    // The old accounts replaced the new one; the old admin signs in with the old password.
    const db = createDb(server.databasePath);
    try {
      await expect(signIn(db, { username: 'olduser', password: old.adminPassword }, '127.0.0.1')).resolves.toMatchObject({
        token: expect.any(String),
      });
      expect(await db.user.count({ where: { username: 'newadmin' } })).toBe(0);
    } finally {
      await db.$disconnect();
    }
    // A's other targets came back with their secrets: they pass Test connection untyped.
    for (const other of KINDS.filter((k) => k !== kind)) await ok(['targets', 'test', TARGET_NAMES[other]], server.env);
    const schedules = JSON.parse(await ok(['schedules', 'list', '--json'], server.env)) as { name: string; enabled: boolean }[];
    expect(schedules.map((s) => [s.name, s.enabled])).toEqual([['nightly', true]]);
    const tokens = JSON.parse(await ok(['tokens', 'list', '--json'], server.env)) as { name: string }[];
    expect(tokens.map((t) => t.name)).toEqual(['update-hook']);
    // The catalog as A had it when this backup was made, merged with what this server
    // imported (nothing dropped or doubled); the later backups on A's other targets come with
    // a rescan of those, which needs no passphrase now.
    const list = async () => (JSON.parse(await ok(['list', '--json'], server.env)) as { id: string }[]).map((b) => b.id).sort();
    expect(await list()).toEqual(old.backupIds.slice(old.backupIds.indexOf(old.full[kind])).sort());
    for (const other of KINDS.filter((k) => k !== kind)) await ok(['targets', 'import', TARGET_NAMES[other]], server.env);
    expect(await list()).toEqual([...old.backupIds].sort());
  }, 180_000);
});

describe('importing from a target', () => {
  it('opens a backup made before the passphrase change with the new passphrase, here and by hand', async () => {
    const server = await freshServer('after-change');
    await ok(old.addArgs('local', 'nas'), server.env);
    await ok(['targets', 'import', 'nas', '--passphrase-file', old.passphraseFile], server.env);
    const verified = JSON.parse(await ok(['verify', old.beforeChange, '--json'], server.env));
    expect(verified).toMatchObject({ result: 'ok' });
    const archive = path.join(old.localRepository, 'archives', `${old.beforeChange}.cob`);
    const byHand = ['archive', 'verify', archive, '--passphrase-file', old.passphraseFile];
    const withoutKeyFile = await runCli(byHand, server.env);
    expect(withoutKeyFile).toMatchObject({ code: 1, stderr: expect.stringContaining('Wrong passphrase') });
    await ok([...byHand, '--key-file', old.localRepository], server.env);
    await ok(['archive', 'verify', archive, '--passphrase-file', old.firstPassphraseFile], server.env);
  }, 120_000);

  it('imports nothing with a wrong passphrase, refuses a tampered manifest, and adds nothing the second time', async () => {
    const server = await freshServer('rescans');
    await ok(old.addArgs('local', 'nas'), server.env);
    const wrong = path.join(root, 'wrong-passphrase');
    writeFileSync(wrong, 'not the passphrase at all\n');
    const refused = await runCli(['targets', 'import', 'nas', '--passphrase-file', wrong], server.env);
    expect(refused).toMatchObject({
      code: 1,
      stderr:
        'cloudos-backup: This passphrase opens none of the 1 key file on this target nor any archive on it; nothing was imported.\n',
    });
    expect(JSON.parse(await ok(['list', '--json'], server.env))).toEqual([]);

    const manifestFile = path.join(old.localRepository, 'manifests', `${old.beforeChange}.json`);
    const original = readFileSync(manifestFile, 'utf8');
    const tampered = JSON.parse(original);
    tampered.apps = ['photos'];
    writeFileSync(manifestFile, JSON.stringify(tampered));
    try {
      const first = JSON.parse(
        await ok(['targets', 'import', 'nas', '--passphrase-file', old.passphraseFile, '--json'], server.env),
      ) as ImportReport;
      expect(first.imported.map((b) => b.id)).toEqual([old.full.local]);
      expect(first.refused).toEqual([{ id: old.beforeChange, reason: expect.stringContaining('fails its MAC check') }]);
    } finally {
      writeFileSync(manifestFile, original);
    }
    const text = await ok(['targets', 'import', 'nas', '--passphrase-file', old.passphraseFile], server.env);
    expect(text).toContain(`Imported 1 backup from "nas" (newest first):\n  ${old.beforeChange}`);
    expect(text).toContain('Already in the catalog: 1.');
    // A rescan needs no passphrase: the key is held now.
    const again = JSON.parse(await ok(['targets', 'import', 'nas', '--json'], server.env)) as ImportReport;
    expect(again).toMatchObject({ imported: [], refused: [] });
    expect(again.known.sort()).toEqual([old.beforeChange, old.full.local].sort());
    const listed = JSON.parse(await ok(['list', '--json'], server.env)) as { id: string }[];
    expect(listed.map((b) => b.id).sort()).toEqual([old.beforeChange, old.full.local].sort());
  }, 120_000);

  it('says so when the target holds no repository', async () => {
    const server = await freshServer('empty-target');
    const empty = mkdtempSync(path.join(root, 'empty-'));
    await ok(['targets', 'add', 'local', 'empty', '--path', empty], server.env);
    const result = await runCli(['targets', 'import', 'empty', '--passphrase-file', old.passphraseFile], server.env);
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no Cloud OS backup repository on this target'),
    });
  }, 60_000);
});
