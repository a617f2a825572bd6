import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '@/test/helpers/processes';

// Every test here runs the CLI as a process, a few times: seconds each on a loaded 2-core CI
// machine, so the suite's 30 s default is too tight.
vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let env: Record<string, string>;
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-cli-'));
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cloudos-backup CLI', () => {
  it('exits 2 with one line on stderr for a usage error', async () => {
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('cloudos-backup: unknown command "frobnicate" (see cloudos-backup --help)\n');
    const badFlag = await runCli(['jobs', 'list', '--colour'], env);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await runCli(['init', '--admin-user', 'admin'], env);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      'cloudos-backup: --admin-password-file is required (see cloudos-backup --help)\n',
    ]);
  });

  it('refuses a secret it cannot read, and a too-short password, changing nothing', async () => {
    const noFile = await runCli(
      ['init', '--admin-user', 'admin', '--admin-password-file', path.join(dir, 'nope'), '--generate-passphrase'],
      env,
    );
    expect([noFile.code, noFile.stderr]).toEqual([
      1,
      `cloudos-backup: cannot read the admin password file ${path.join(dir, 'nope')}: ENOENT\n`,
    ]);
    const short = await runCli(
      ['init', '--admin-user', 'admin', '--admin-password-file', file('short', 'short\n'), '--generate-passphrase'],
      env,
    );
    expect([short.code, short.stderr]).toEqual([1, 'cloudos-backup: The password must be at least 12 characters long.\n']);
    const list = await runCli(['jobs', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('initialises once from files (password from a file, passphrase from stdin), then refuses', async () => {
    const args = [
      'init',
      '--admin-user',
      'admin',
      '--admin-password-file',
      file('pw', 'correct horse battery\n'),
      '--passphrase-file',
      '-',
      '--json',
    ];
    const first = await runCli(args, env, 'a long backup passphrase\n');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true });
    expect(first.stdout).not.toContain('a long backup passphrase');
    const again = await runCli(args, env, 'a long backup passphrase\n');
    expect([again.code, again.stderr]).toEqual([
      1,
      'cloudos-backup: This instance is already set up. Sign in with the admin account instead.\n',
    ]);
  });

  it('runs a self-test job in-process and lists it', async () => {
    const run = await runCli(['jobs', 'run', 'selftest', '--steps', '2', '--step-ms', '10', '--json'], env);
    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout);
    expect([job.type, job.status, job.percent, job.createdBy]).toEqual(['selftest', 'succeeded', 100, 'cli']);
    const list = await runCli(['jobs', 'list', '--json'], env);
    expect(JSON.parse(list.stdout).map((j: { id: string }) => j.id)).toContain(job.id);
    const human = await runCli(['jobs', 'list'], env);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+TYPE\\s+STATUS[\\s\\S]*${job.id}\\s+selftest\\s+succeeded\\s+100%`));
  });

  it('names the variable when the configuration is invalid', async () => {
    const bad = await runCli(['jobs', 'list'], { ...env, DATABASE_URL: 'mysql://db' });
    expect([bad.code, bad.stderr]).toEqual([
      1,
      'cloudos-backup: invalid configuration: DATABASE_URL must be a SQLite URL of the form file:/path/to/db\n',
    ]);
  });
});

describe('cloudos-backup passphrase change', () => {
  it('changes the passphrase with the current one, refuses a wrong one', async () => {
    const current = file('current', 'a long backup passphrase\n');
    const next = file('next', 'an even longer passphrase\n');
    const wrong = await runCli(['passphrase', 'change', '--current-file', next, '--new-file', current], env);
    expect([wrong.code, wrong.stderr]).toEqual([1, 'cloudos-backup: The current passphrase is wrong; nothing was changed.\n']);
    const changed = await runCli(['passphrase', 'change', '--current-file', current, '--new-file', next, '--json'], env);
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({ ok: true, keyId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const again = await runCli(['passphrase', 'change', '--current-file', next, '--new-file', current], env);
    expect(again.code).toBe(0);
  });
});
