import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '@/test/helpers/processes';
import { createRemoteDir, createTestBucket, startRadosgw, startSshd } from '@/test/helpers/services';

// Every test here runs the CLI as a process, a few times: seconds each on a loaded 2-core CI
// machine, so the suite's 30 s default is too tight.
vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let env: Record<string, string>;
let s3: Record<string, string>;
let sftp: Record<string, string>;
let bucket: string;
let remoteDir: string;
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-targets-cli-'));
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data') };
  s3 = startRadosgw();
  sftp = startSshd();
  bucket = await createTestBucket(s3, 'cli');
  remoteDir = createRemoteDir(sftp, 'cli');
  const init = await runCli(
    ['init', '--admin-user', 'admin', '--admin-password-file', file('pw', 'correct horse battery\n'), '--generate-passphrase'],
    env,
  );
  expect(init.code).toBe(0);
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(remoteDir, { recursive: true, force: true });
});

describe('cloudos-backup targets', () => {
  it('lists the default local target of a fresh instance', async () => {
    const list = await runCli(['targets', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toMatchObject([
      { name: 'Local backups', kind: 'local', isDefault: true, config: { path: path.join(dir, 'data', 'backups') } },
    ]);
    expect((await runCli(['targets', 'test', 'Local backups'], env)).code).toBe(0);
  });

  it('adds an S3 target; a wrong secret fails its test with the reason', async () => {
    const s3Args = [
      '--endpoint',
      s3.S3_ENDPOINT ?? '',
      '--region',
      'us-east-1',
      '--bucket',
      bucket,
      '--access-key-id',
      s3.S3_ACCESS_KEY_ID ?? '',
    ];
    const bad = await runCli(
      ['targets', 'add', 's3', 'Wrong', ...s3Args, '--secret-access-key-file', file('bad-secret', 'nope\n')],
      env,
    );
    expect(bad.code).toBe(0);
    const failed = await runCli(['targets', 'test', 'Wrong'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(
      'FAILED write: The S3 secret access key is wrong: the server rejected the request signature. Re-enter the secret access key.\n',
    );
    // Nothing else on stderr: not the AWS SDK's warning about future Node versions either.
    expect(failed.stderr).toBe('');
    const good = await runCli(
      ['targets', 'add', 's3', 'Ceph', ...s3Args, '--secret-access-key-file', file('secret', `${s3.S3_SECRET_ACCESS_KEY}\n`)],
      env,
    );
    expect(good.code).toBe(0);
    const passed = await runCli(['targets', 'test', 'Ceph', '--json'], env);
    expect([passed.code, JSON.parse(passed.stdout).ok]).toEqual([0, true]);
  }, 60_000);

  it('adds an S3 target over HTTPS: untrusted without --ca-certificate-file, working with it', async () => {
    // "Without the CA" must really be without it: Node would also trust a CA named by
    // NODE_EXTRA_CA_CERTS (this machine sets it to the system bundle); empty means none.
    const untrusting = { ...env, NODE_EXTRA_CA_CERTS: '' };
    const tlsBucket = await createTestBucket(s3, 'cli-tls');
    const args = (name: string) => [
      'targets',
      'add',
      's3',
      name,
      '--endpoint',
      s3.S3_TLS_ENDPOINT ?? '',
      '--region',
      'us-east-1',
      '--bucket',
      tlsBucket,
      '--access-key-id',
      s3.S3_ACCESS_KEY_ID ?? '',
      '--secret-access-key-file',
      file('tls-secret', `${s3.S3_SECRET_ACCESS_KEY}\n`),
    ];
    expect((await runCli(args('Radosgw TLS no CA'), untrusting)).code).toBe(0);
    const untrusted = await runCli(['targets', 'test', 'Radosgw TLS no CA', '--json'], untrusting);
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout)).toEqual({
      ok: false,
      steps: [
        {
          step: 'write',
          ok: false,
          message: `The S3 endpoint ${s3.S3_TLS_ENDPOINT} presented a certificate this server does not trust (self-signed certificate). If it uses a self-signed certificate or a private CA, add that CA certificate to the target (CA certificate field; \`--ca-certificate-file\` in the CLI).`,
        },
      ],
    });

    const missing = await runCli([...args('Radosgw TLS'), '--ca-certificate-file', path.join(dir, 'no-such.pem')], untrusting);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      `cloudos-backup: cannot read the CA certificate file ${path.join(dir, 'no-such.pem')}: ENOENT\n`,
    ]);
    const added = await runCli([...args('Radosgw TLS'), '--ca-certificate-file', s3.S3_TLS_CA ?? '', '--json'], untrusting);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).config.caCertificate).toBe(`${readFileSync(s3.S3_TLS_CA ?? '', 'utf8').trim()}\n`);
    const trusted = await runCli(['targets', 'test', 'Radosgw TLS'], untrusting);
    expect([trusted.code, trusted.stdout]).toEqual([0, 'ok     write\nok     read\nok     list\nok     delete\n']);
    const list = await runCli(['targets', 'list'], untrusting);
    expect(list.stdout).not.toContain('BEGIN CERTIFICATE');

    const notPem = await runCli([...args('Radosgw TLS 2'), '--ca-certificate-file', file('notes.txt', 'my CA\n')], untrusting);
    expect([notPem.code, notPem.stderr]).toEqual([
      1,
      'cloudos-backup: Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- …).\n',
    ]);
    const names = JSON.parse((await runCli(['targets', 'list', '--json'], untrusting)).stdout).map(
      (t: { name: string }) => t.name,
    );
    expect(names).not.toContain('Radosgw TLS 2');
  }, 90_000);

  it('adds an SFTP target with a password from a file, never showing it', async () => {
    const added = await runCli(
      [
        'targets',
        'add',
        'sftp',
        'NAS',
        '--host',
        '127.0.0.1',
        '--port',
        sftp.SFTP_PORT ?? '',
        '--username',
        sftp.SFTP_USERNAME ?? '',
        '--password-file',
        file('sftp-pw', `${sftp.SFTP_PASSWORD}\n`),
        '--remote-path',
        remoteDir,
      ],
      env,
    );
    expect(added.code).toBe(0);
    expect((await runCli(['targets', 'test', 'NAS'], env)).stdout).toBe(
      'ok     write\nok     read\nok     list\nok     delete\n',
    );
    const list = await runCli(['targets', 'list'], env);
    expect(list.stdout).toMatch(/NAS\s+sftp\s+sftp:\/\/127\.0\.0\.1\/.*\s+ok/);
    expect(list.stdout + (await runCli(['targets', 'list', '--json'], env)).stdout).not.toContain(sftp.SFTP_PASSWORD);
  }, 60_000);

  it('removes a target, and reports usage errors with exit code 2', async () => {
    expect((await runCli(['targets', 'remove', 'Wrong'], env)).code).toBe(0);
    const missing = await runCli(['targets', 'test', 'Wrong'], env);
    expect([missing.code, missing.stderr]).toEqual([1, 'cloudos-backup: There is no target named "Wrong".\n']);
    const usage = await runCli(['targets', 'add', 'ftp', 'x'], env);
    expect([usage.code, usage.stderr]).toEqual([
      2,
      'cloudos-backup: unknown target kind "ftp" (local, s3 or sftp) (see cloudos-backup --help)\n',
    ]);
  });

  it('removes a target that catalog backups use only with --forget-backups', async () => {
    // No backup command exists yet, so the catalog row is written straight into the database.
    const db = new Database(path.join(dir, 'data', 'cloudos.db'));
    const { id } = db.prepare('SELECT id FROM Target WHERE name = ?').get('Ceph') as { id: string };
    db.prepare(
      "INSERT INTO Backup (id, targetId, scope, apps, status, objectKey, startedAt) VALUES ('b1', ?, 'full', '[]', 'succeeded', 'archives/b1', '2026-02-03T00:00:00.000Z')",
    ).run(id);
    db.close();
    const refused = await runCli(['targets', 'remove', 'Ceph'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^cloudos-backup: 1 backup in the catalog uses this target \(the latest from 2026-02-03\)\./);
    expect((await runCli(['targets', 'remove', 'Ceph', '--forget-backups'], env)).code).toBe(0);
    expect((await runCli(['targets', 'list'], env)).stdout).not.toMatch(/Ceph/);
  });
});
