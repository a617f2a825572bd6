import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashApiToken } from '@/lib/core/api-tokens/api-tokens';
import { issueLicenseToken } from '@/lib/core/license/license-token';
import { runCli } from '@/test/helpers/processes';

// Every test here runs the CLI as a process, a few times: seconds each on a loaded 2-core CI
// machine, so the suite's 30 s default is too tight.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;
let env: Record<string, string>;
const vendor = generateKeyPairSync('ed25519');
const publicPem = String(vendor.publicKey.export({ type: 'spki', format: 'pem' }));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const license = (plan: string, features: string[], expiresAt = new Date('2099-01-01T00:00:00Z'), key = vendor.privateKey) =>
  issueLicenseToken(key, { licensee: 'Jane Doe', plan, features, issuedAt: new Date('2026-01-01T00:00:00Z'), expiresAt });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-license-cli-'));
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_LICENSE_PUBLIC_KEY: publicPem };
  const init = await runCli(
    ['init', '--admin-user', 'admin', '--admin-password-file', file('pw', 'correct horse battery\n'), '--generate-passphrase'],
    env,
  );
  expect(init.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cloudos-backup license', () => {
  it('shows the Free plan, installs a license from a file and shows it', async () => {
    expect(JSON.parse((await runCli(['license', 'show', '--json'], env)).stdout)).toEqual({ state: 'none' });
    expect((await runCli(['license', 'show'], env)).stdout).toBe(
      'No license installed: the Free plan. Install one with: cloudos-backup license install FILE\n',
    );
    const installed = await runCli(['license', 'install', file('pro.lic', `${license('Pro', ['priority_support'])}\n`)], env);
    expect([installed.code, installed.stderr]).toEqual([0, '']);
    expect(installed.stdout).toMatch(/^License installed\.\nLicensee +Jane Doe\nPlan +Pro\nFeatures +priority_support\n/);
    const shown = await runCli(['license', 'show'], env);
    expect(shown.stdout).toMatch(
      /^License valid\.\nLicensee +Jane Doe\nPlan +Pro\nFeatures +priority_support\nIssued +2026-01-01\nExpires +2099-01-01\n/,
    );
  });

  it('installs from standard input and replaces the installed license', async () => {
    const installed = await runCli(['license', 'install', '-', '--json'], env, license('Pro+', ['backup_verification']));
    expect(installed.code).toBe(0);
    expect(JSON.parse((await runCli(['license', 'show', '--json'], env)).stdout)).toMatchObject({
      state: 'valid',
      license: { plan: 'Pro+', features: ['backup_verification'], licensee: 'Jane Doe', expiresAt: '2099-01-01T00:00:00.000Z' },
    });
  });

  it('refuses altered, expired, foreign and malformed licenses with exit 1 and keeps the installed one', async () => {
    const good = license('Pro', ['priority_support']);
    const [prefix, payload, signature] = good.split('.');
    const altered = `${prefix}.${Buffer.from(
      Buffer.from(payload ?? '', 'base64url')
        .toString()
        .replace('"Pro"', '"Pro+"'),
    ).toString('base64url')}.${signature}`;
    const cases: [string, string][] = [
      [altered, 'The license signature does not match its contents'],
      [license('Pro+', [], new Date('2026-02-01T00:00:00Z')), 'This license expired on 2026-02-01. Nothing was installed.'],
      [license('Pro+', [], undefined, generateKeyPairSync('ed25519').privateKey), 'This license was signed with another key'],
      ['hello', 'This is not a Cloud OS Backups license'],
    ];
    for (const [text, message] of cases) {
      const run = await runCli(['license', 'install', file('bad.lic', text)], env);
      expect([run.code, run.stdout]).toEqual([1, '']);
      expect(run.stderr).toContain(`cloudos-backup: ${message}`);
    }
    expect(JSON.parse((await runCli(['license', 'show', '--json'], env)).stdout)).toMatchObject({
      state: 'valid',
      license: { plan: 'Pro+' },
    });
    expect((await runCli(['license', 'install', path.join(dir, 'missing.lic')], env)).stderr).toMatch(
      /cannot read the license file .*ENOENT/,
    );
    expect((await runCli(['license', 'install'], env)).code).toBe(2);
  });

  it('shows an installed license as invalid under another trusted key, and refuses a bad key setting', async () => {
    const { CLOUDOS_LICENSE_PUBLIC_KEY: _, ...vendorKeyEnv } = env;
    const show = await runCli(['license', 'show', '--json'], vendorKeyEnv);
    expect(JSON.parse(show.stdout)).toEqual({
      state: 'invalid',
      message: expect.stringMatching(/^This license was signed with another key/),
    });
    const badKey = await runCli(['license', 'show'], { ...env, CLOUDOS_LICENSE_PUBLIC_KEY: 'nope' });
    expect([badKey.code, badKey.stderr]).toEqual([
      1,
      'cloudos-backup: invalid configuration: CLOUDOS_LICENSE_PUBLIC_KEY must be an Ed25519 public key: PEM (BEGIN PUBLIC KEY) or its 32 raw bytes in base64\n',
    ]);
  });

  it('installs what scripts/issue-license.ts issued with a fresh key, verified with that public key', async () => {
    const keys = path.join(dir, 'vendor-keys');
    const script = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'issue-license.ts'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    expect(script('keygen', '--out', keys).status).toBe(0);
    const out = path.join(dir, 'issued.lic');
    const issued = script(
      'issue',
      '--key',
      path.join(keys, 'license-private.pem'),
      '--licensee',
      'Acme',
      '--plan',
      'Pro+',
      '--days',
      '30',
      '--out',
      out,
    );
    expect(issued.status).toBe(0);
    const keyEnv = { ...env, CLOUDOS_LICENSE_PUBLIC_KEY: readFileSync(path.join(keys, 'license-public.pem'), 'utf8') };
    expect((await runCli(['license', 'install', out], keyEnv)).code).toBe(0);
    expect(JSON.parse((await runCli(['license', 'show', '--json'], keyEnv)).stdout)).toMatchObject({
      state: 'valid',
      license: { licensee: 'Acme', plan: 'Pro+', features: ['priority_support', 'backup_verification'] },
    });
    expect((await runCli(['license', 'remove'], keyEnv)).stdout).toBe('License removed: the Free plan applies.\n');
    expect(JSON.parse((await runCli(['license', 'show', '--json'], keyEnv)).stdout)).toEqual({ state: 'none' });
  }, 60_000);
});

describe('cloudos-backup tokens', () => {
  it('creates a token printed once and stored only hashed, lists it without it, and revokes it', async () => {
    const created = await runCli(['tokens', 'create', 'backup script'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^cob_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toBe('API token "backup script" created. It is shown only this once: store it now.\n');
    const token = created.stdout.trim();

    const db = new Database(path.join(dir, 'data', 'cloudos.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT name, tokenHash, createdBy FROM ApiToken').all()).toEqual([
        { name: 'backup script', tokenHash: hashApiToken(token), createdBy: 'cli' },
      ]);
    } finally {
      db.close();
    }

    const list = await runCli(['tokens', 'list'], env);
    expect(list.stdout).toMatch(
      /^NAME +CREATED +LAST USED +ID\nbackup script +\d{4}-\d\d-\d\d \d\d:\d\d +never +[0-9a-f-]{36}\n$/,
    );
    const json = JSON.parse((await runCli(['tokens', 'list', '--json'], env)).stdout);
    expect(json).toEqual([expect.objectContaining({ name: 'backup script', lastUsedAt: null, revokedAt: null })]);
    expect(`${list.stdout}${JSON.stringify(json)}`).not.toContain(token.slice(4));

    const duplicate = await runCli(['tokens', 'create', 'backup script'], env);
    expect([duplicate.code, duplicate.stdout]).toEqual([1, '']);
    expect(duplicate.stderr).toContain('An API token named “backup script” exists.');

    const revoked = await runCli(['tokens', 'revoke', 'backup script'], env);
    expect(revoked.stdout).toBe('API token "backup script" revoked: it no longer authenticates.\n');
    expect((await runCli(['tokens', 'list'], env)).stdout).toBe(
      'No API tokens. Create one with: cloudos-backup tokens create NAME\n',
    );
    expect((await runCli(['tokens', 'list', '--all'], env)).stdout).toMatch(
      /^NAME +CREATED +LAST USED +REVOKED +ID\nbackup script .* \d{4}-\d\d-\d\d \d\d:\d\d +[0-9a-f-]{36}\n$/,
    );
    const again = await runCli(['tokens', 'revoke', 'backup script'], env);
    expect([again.code, again.stderr]).toEqual([
      1,
      'cloudos-backup: No active API token is named or has the id “backup script”.\n',
    ]);
  });

  it('creates with --json and revokes by id', async () => {
    const created = JSON.parse((await runCli(['tokens', 'create', 'ci', '--json'], env)).stdout);
    expect(created).toMatchObject({ token: expect.stringMatching(/^cob_/), name: 'ci', createdBy: 'cli', lastUsedAt: null });
    const revoked = JSON.parse((await runCli(['tokens', 'revoke', created.id, '--json'], env)).stdout);
    expect(revoked).toMatchObject({ id: created.id, revokedAt: expect.any(String) });
    expect(revoked).not.toHaveProperty('token');
  });

  it.each([
    [['tokens', 'create'], 'give exactly one token NAME to create (quote a name with spaces)'],
    [['tokens', 'create', 'a', 'b'], 'give exactly one token NAME to create (quote a name with spaces)'],
    [['tokens', 'revoke'], 'give exactly one token NAME or ID to revoke'],
    [['tokens', 'rotate'], 'unknown tokens command "rotate"'],
    [['license', 'show', 'extra'], 'license show takes no arguments'],
  ])('%j is a usage error', async (args, message) => {
    const run = await runCli(args, env);
    expect([run.code, run.stderr]).toEqual([2, `cloudos-backup: ${message} (see cloudos-backup --help)\n`]);
  });
});
