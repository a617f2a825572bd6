import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseToken } from '@/lib/core/license/license-token';
import { createDockerStandin } from '@/test/helpers/docker-standin';
import { createFixtureApps } from '@/test/helpers/fixture-apps';
import { runCli } from '@/test/helpers/processes';

let dir: string;
let env: Record<string, string>;
let backupId: string;
const licenseKeys = generateKeyPairSync('ed25519');

const objectFile = () => path.join(dir, 'data', 'backups', 'archives', `${backupId}.cob`);
const dryRunLeftovers = () => {
  const base = path.join(dir, 'data', 'tmp');
  return existsSync(base) ? readdirSync(base) : [];
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-verification-cli-'));
  const apps = createFixtureApps(dir, { bigFileBytes: 512 * 1024, smallFiles: 50 });
  const docker = createDockerStandin(path.join(dir, 'docker'), apps.dockerState);
  env = {
    CLOUDOS_DATA_DIR: path.join(dir, 'data'),
    CLOUDOS_APPS_DIR: apps.appsDir,
    TZ: 'UTC',
    CLOUDOS_LICENSE_PUBLIC_KEY: licenseKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ...docker.env,
  };
  writeFileSync(path.join(dir, 'pw'), 'correct horse battery\n');
  const init = await runCli(
    ['init', '--admin-user', 'admin', '--admin-password-file', path.join(dir, 'pw'), '--generate-passphrase'],
    env,
  );
  expect(init.code).toBe(0);
  const backup = await runCli(['backup', '--target', 'Local backups', '--full', '--json'], env);
  expect(backup.code).toBe(0);
  backupId = JSON.parse(backup.stdout).backupId;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cloudos-backup verify --checks', () => {
  it('needs a Pro+ license, while plain verify stays free', async () => {
    const refused = await runCli(['verify', backupId, '--checks', 'integrity'], env);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('Backup verification needs a Pro+ license') });
    expect((await runCli(['verify', backupId], env)).code).toBe(0);
    const license = issueLicenseToken(licenseKeys.privateKey, {
      licensee: 'CLI tests',
      plan: 'Pro+',
      features: ['backup_verification'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    expect((await runCli(['license', 'install', '-'], env, license)).code).toBe(0);
  }, 60_000);

  it('runs every check in process, records the verification, and leaves no dry-run directory', async () => {
    const run = await runCli(['verify', backupId.slice(0, 8), '--checks', 'integrity,size,dry-run,staleness', '--json'], env);
    expect(run.code).toBe(0);
    const verification = JSON.parse(run.stdout);
    expect(verification).toMatchObject({
      backupId,
      state: 'passed',
      jobStatus: 'succeeded',
      dryRun: true,
      requestedChecks: ['size', 'integrity', 'dry-run', 'staleness'],
      createdBy: 'cli',
      error: null,
    });
    expect(verification.checks.map((c: { name: string; result: string }) => `${c.name}:${c.result}`)).toEqual([
      'size:pass',
      'integrity:pass',
      'dry-run:pass',
      'staleness:pass',
    ]);
    expect(dryRunLeftovers()).toEqual([]);
    const shown = JSON.parse((await runCli(['show', backupId, '--json'], env)).stdout);
    expect(shown.verification).toMatchObject({ result: 'ok' });
  }, 120_000);

  it('prints a table of checks, and exits 1 when one fails', async () => {
    const text = await runCli(['verify', backupId, '--checks', 'size'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^CHECK +RESULT +TIME +MESSAGE\nsize +pass +\d+ ms +.* stored, as recorded/);
    expect(text.stdout).toContain(`Verification of backup ${backupId}: passed.`);
    const original = readFileSync(objectFile());
    const damaged = Buffer.from(original);
    damaged[2000] = (damaged[2000] ?? 0) ^ 0x40;
    writeFileSync(objectFile(), damaged);
    try {
      const bad = await runCli(['verify', backupId, '--checks', 'integrity,size', '--json'], env);
      expect(bad.code).toBe(1);
      const verification = JSON.parse(bad.stdout);
      expect(verification).toMatchObject({
        state: 'failed',
        jobStatus: 'failed',
        error: { code: 'corrupted', message: expect.stringContaining('failed verification: integrity: corrupted') },
      });
      expect(verification.checks).toEqual([
        expect.objectContaining({ name: 'size', result: 'pass' }),
        expect.objectContaining({ name: 'integrity', result: 'fail', message: expect.stringMatching(/^corrupted: /) }),
      ]);
    } finally {
      writeFileSync(objectFile(), original);
    }
  }, 120_000);

  it('refuses unknown checks as a usage error; plain verify keeps its meaning', async () => {
    const unknown = await runCli(['verify', backupId, '--checks', 'size,bogus'], env);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown check "bogus"') });
    const plain = await runCli(['verify', backupId, '--json'], env);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ status: 'succeeded', backupId, result: 'ok' });
  }, 60_000);
});

describe('cloudos-backup health', () => {
  it('prints the score, its reasons and where to fix them, as JSON and as text', async () => {
    const json = await runCli(['health', '--json'], env);
    expect(json.code).toBe(0);
    const health = JSON.parse(json.stdout);
    expect(health.lastSuccess.overall).toMatchObject({ backupId, targetName: 'Local backups' });
    expect(health.lastSuccess.perApp.map((a: { app: string }) => a.app)).toEqual(['broken', 'notes', 'photos']);
    // The broken app (its Compose file does not parse) was left out of the full backup.
    expect(health.reasons).toEqual([
      expect.objectContaining({ code: 'no_schedule', weight: 10, fixPath: '/schedules' }),
      expect.objectContaining({ code: 'stale_app', weight: 10, message: 'The app "broken" has never been backed up.' }),
    ]);
    expect(health.score).toBe(80);
    const text = await runCli(['health'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Backup health: 80\/100 \(fair\)\n/);
    expect(text.stdout).toMatch(/-10 +No schedule is enabled: backups happen only when started by hand\. +\/schedules/);
    expect(text.stdout).toMatch(/app notes +\d+ s ago \([0-9a-f]{8} on "Local backups"\)/);
  }, 60_000);
});
