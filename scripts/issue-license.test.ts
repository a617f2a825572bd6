import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyLicenseToken } from '@/lib/core/license/license-token';
import { licenseKeyId, parseLicensePublicKey } from '@/lib/core/license/public-key';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'cloudos-issue-license-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'issue-license.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('scripts/issue-license.ts', () => {
  const keys = path.join(dir, 'keys');
  const privateKey = path.join(keys, 'license-private.pem');

  it('makes a key pair, issues a license that verifies with the public key, and nothing else', () => {
    const keygen = script('keygen', '--out', keys);
    expect(keygen.code).toBe(0);
    expect(statSync(privateKey).mode & 0o777).toBe(0o600);
    const publicPem = readFileSync(path.join(keys, 'license-public.pem'), 'utf8');
    const publicKey = parseLicensePublicKey(publicPem);
    const raw = /raw \(base64\): (\S+)/.exec(keygen.stdout)?.[1] ?? '';
    expect(licenseKeyId(parseLicensePublicKey(raw))).toBe(licenseKeyId(publicKey));
    expect(keygen.stdout).toContain(`key id: ${licenseKeyId(publicKey)}`);
    expect(keygen.stdout).not.toContain('PRIVATE');

    const issued = script('issue', '--key', privateKey, '--licensee', 'Jane Doe', '--plan', 'Pro+', '--expires', '2099-12-31');
    expect([issued.code, issued.stderr]).toEqual([0, '']);
    expect(issued.stdout).toMatch(/^coblic1\.\S+\n$/);
    expect(verifyLicenseToken(issued.stdout, publicKey)).toMatchObject({
      licensee: 'Jane Doe',
      plan: 'Pro+',
      features: ['priority_support', 'backup_verification'],
      expiresAt: new Date('2099-12-31T23:59:59.999Z'),
    });

    const pro = script(
      'issue',
      '--key',
      privateKey,
      '--licensee',
      'Acme',
      '--plan',
      'Pro',
      '--features',
      'backup_verification',
      '--days',
      '30',
    );
    const license = verifyLicenseToken(pro.stdout, publicKey);
    expect([license.plan, license.features]).toEqual(['Pro', ['backup_verification']]);
    expect(license.expiresAt.getTime() - license.issuedAt.getTime()).toBe(30 * 86_400_000);

    const otherKeygen = script('keygen', '--out', path.join(dir, 'other'));
    const other = parseLicensePublicKey(/raw \(base64\): (\S+)/.exec(otherKeygen.stdout)?.[1] ?? '');
    expect(() => verifyLicenseToken(issued.stdout, other)).toThrow(/signed with another key/);
  });

  it.each([
    [['issue', '--licensee', 'x', '--plan', 'Pro', '--days', '1'], '--key PRIVATE.pem is required'],
    [
      ['issue', '--key', 'K', '--licensee', 'x', '--plan', 'Free', '--days', '1'],
      '--plan must be one of Pro, Pro+ (Free needs no license)',
    ],
    [
      ['issue', '--key', 'K', '--licensee', 'x', '--plan', 'Pro', '--features', 'teleport', '--days', '1'],
      'unknown feature teleport',
    ],
    [['issue', '--key', 'K', '--licensee', 'x', '--plan', 'Pro'], 'give exactly one of --expires or --days'],
    [['issue', '--key', 'K', '--licensee', 'x', '--plan', 'Pro', '--expires', '2001-01-01'], '--expires must be in the future'],
    [
      ['issue', '--key', '/nonexistent.pem', '--licensee', 'x', '--plan', 'Pro', '--days', '3'],
      'cannot read the private key /nonexistent.pem: ENOENT',
    ],
    [['sign'], 'unknown command "sign"'],
  ])('refuses bad arguments with exit code 2: %j', (args, message) => {
    const run = script(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`issue-license: ${message}`);
  });

  it('never replaces an existing key', () => {
    const before = readFileSync(privateKey, 'utf8');
    const again = script('keygen', '--out', keys);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${privateKey} exists: keygen never replaces a key`);
    expect(readFileSync(privateKey, 'utf8')).toBe(before);
  });
});
