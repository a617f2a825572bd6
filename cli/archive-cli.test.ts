import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '@/test/helpers/processes';
import { snapshotTree } from '@/test/helpers/tree';

// Every test here runs the CLI as a process, a few times: seconds each on a loaded 2-core CI
// machine, so the suite's 30 s default is too tight.
vi.setConfig({ testTimeout: 120_000 });

let dir: string;
let source: string;
let archive: string;
let passFile: string;
const env = () => ({ CLOUDOS_DATA_DIR: path.join(dir, 'data') });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-archive-cli-'));
  source = path.join(dir, 'photos');
  mkdirSync(path.join(source, '2024', 'empty'), { recursive: true });
  writeFileSync(path.join(source, '2024', 'beach.jpg'), Buffer.alloc(3 * 1024 * 1024 + 5, 7));
  writeFileSync(path.join(source, 'notes.txt'), 'ten years of photos\n'.repeat(1000));
  symlinkSync('/mnt/elsewhere', path.join(source, 'external'));
  passFile = path.join(dir, 'pass');
  writeFileSync(passFile, 'my backup passphrase\n');
  archive = path.join(dir, 'photos.cob');
  const created = await runCli(
    ['archive', 'create', '--source', source, '--out', archive, '--passphrase-file', passFile, '--json'],
    env(),
  );
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function variant(name: string, change: (bytes: Buffer) => Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, change(readFileSync(archive)));
  return file;
}

function siblings(): string[] {
  return readdirSync(dir).filter((n) => n.includes('.staging-') || n.includes('.partial-'));
}

describe('cloudos-backup archive', () => {
  it('round-trips a tree with the passphrase alone', async () => {
    const dest = path.join(dir, 'restored');
    const extracted = await runCli(
      ['archive', 'extract', archive, '--dest', dest, '--passphrase-file', passFile, '--json'],
      env(),
    );
    expect(extracted.code).toBe(0);
    const summary = JSON.parse(extracted.stdout);
    expect(summary).toMatchObject({ ok: true, files: 2, directories: 2, symlinks: 1 });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshotTree(dest)).toEqual(snapshotTree(source));
  });

  it('verify authenticates every chunk and prints the SHA-256 and sizes', async () => {
    const verified = await runCli(['archive', 'verify', archive, '--passphrase-file', passFile], env());
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(
      /^OK: every chunk authenticated; 2 files, \d+ bytes in \d+ chunks\nSHA-256 [0-9a-f]{64} {2}\d+ bytes stored\n$/,
    );
  });

  it.each([
    [
      'one flipped byte',
      (b: Buffer) => {
        const c = Buffer.from(b);
        c[Math.floor(c.length / 2)] = (c[Math.floor(c.length / 2)] ?? 0) ^ 0x01;
        return c;
      },
    ],
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 100)],
    ['bytes appended', (b: Buffer) => Buffer.concat([b, Buffer.from('garbage')])],
  ])('refuses an archive with %s and leaves the destination untouched', async (name, change) => {
    const file = variant(`${name}.cob`, change);
    const dest = path.join(dir, `dest-${name}`);
    mkdirSync(dest);
    const result = await runCli(['archive', 'extract', file, '--dest', dest, '--passphrase-file', passFile], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cloudos-backup: The archive is corrupted or was tampered with: .*\n$/);
    expect(readdirSync(dest)).toEqual([]);
    expect(siblings()).toEqual([]);
    const verify = await runCli(['archive', 'verify', file, '--passphrase-file', passFile], env());
    expect(verify.code).toBe(1);
  });

  it('says clearly when the passphrase is wrong, and leaves no staging behind', async () => {
    const wrong = path.join(dir, 'wrong-pass');
    writeFileSync(wrong, 'not my passphrase\n');
    const result = await runCli(
      ['archive', 'extract', archive, '--dest', path.join(dir, 'never'), '--passphrase-file', wrong],
      env(),
    );
    expect([result.code, result.stderr]).toEqual([
      1,
      'cloudos-backup: Wrong passphrase: it does not open this archive (it opens with the passphrase it was made with, or with a later one through its key file).\n',
    ]);
    expect(readdirSync(dir)).not.toContain('never');
    expect(siblings()).toEqual([]);
  });

  it('refuses a non-empty destination and an existing output file', async () => {
    const full = path.join(dir, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'keep.txt'), 'precious');
    const extract = await runCli(['archive', 'extract', archive, '--dest', full, '--passphrase-file', passFile], env());
    expect([extract.code, extract.stderr]).toEqual([
      1,
      `cloudos-backup: The destination ${full} is not empty; extract into a new or empty directory.\n`,
    ]);
    expect(readFileSync(path.join(full, 'keep.txt'), 'utf8')).toBe('precious');
    const create = await runCli(
      ['archive', 'create', '--source', source, '--out', archive, '--passphrase-file', passFile],
      env(),
    );
    expect([create.code, create.stderr]).toEqual([1, `cloudos-backup: ${archive} already exists; choose another name.\n`]);
  });

  it('needs its arguments (exit 2)', async () => {
    const missing = await runCli(['archive', 'extract', archive, '--passphrase-file', passFile], env());
    expect([missing.code, missing.stderr]).toEqual([2, 'cloudos-backup: --dest is required (see cloudos-backup --help)\n']);
  });
});

describe('cloudos-backup archive create', () => {
  it('refuses to write the archive inside the directory it archives', async () => {
    const inside = path.join(source, 'backup.cob');
    const result = await runCli(['archive', 'create', '--source', source, '--out', inside, '--passphrase-file', passFile], env());
    expect([result.code, result.stderr]).toEqual([
      1,
      'cloudos-backup: The archive cannot be written inside the directory it archives; choose an output outside the source.\n',
    ]);
    expect(readdirSync(source)).not.toContain('backup.cob');
  });
});
