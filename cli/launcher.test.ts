import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runInstalledCli } from '@/test/helpers/processes';

vi.setConfig({ testTimeout: 120_000 });

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;
let linked: string;
let nodeCalls: string;
let env: Record<string, string>;

// The package's bin as npm installs it (a symlink), with a `node` first on PATH that records
// how it was started and then runs the real one.
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-launcher-'));
  mkdirSync(path.join(dir, 'bin'));
  linked = path.join(dir, 'bin', 'cloudos-backup');
  symlinkSync(path.join(ROOT, 'bin', 'cloudos-backup'), linked);
  nodeCalls = path.join(dir, 'node-calls.log');
  const fakeNode = path.join(dir, 'bin', 'node');
  writeFileSync(
    fakeNode,
    `#!/bin/sh\necho "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX UV_THREADPOOL_SIZE=$UV_THREADPOOL_SIZE CLOUDOS_CLI_CHILD=$CLOUDOS_CLI_CHILD $*" >> ${nodeCalls}\nexec ${process.execPath} "$@"\n`,
  );
  chmodSync(fakeNode, 0o755);
  env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/cloudos-backup (the package bin)', () => {
  it('starts one Node with the memory settings and passes arguments, output and exit codes through', async () => {
    const help = await runInstalledCli(linked, ['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^cloudos-backup — encrypted backups for Cloud OS\n/);
    const calls = readFileSync(nodeCalls, 'utf8').trim().split('\n');
    expect(calls).toEqual([
      `MALLOC_ARENA_MAX=2 UV_THREADPOOL_SIZE=${Math.max(2, availableParallelism())} CLOUDOS_CLI_CHILD=1 --expose-gc ${path.join(ROOT, 'bin', 'cloudos-backup.mjs')} --help`,
    ]);

    const usage = await runInstalledCli(linked, ['frobnicate'], env);
    expect([usage.code, usage.stderr]).toEqual([2, 'cloudos-backup: unknown command "frobnicate" (see cloudos-backup --help)\n']);
  });

  it('round-trips a tree with archive create and extract', async () => {
    const source = path.join(dir, 'tree');
    mkdirSync(path.join(source, 'notes'), { recursive: true });
    writeFileSync(path.join(source, 'notes', 'ä file.txt'), 'kept through the launcher\n');
    const passphrase = path.join(dir, 'passphrase');
    writeFileSync(passphrase, 'launcher test passphrase\n');
    const archive = path.join(dir, 'tree.cob');
    const created = await runInstalledCli(
      linked,
      ['archive', 'create', '--source', source, '--out', archive, '--passphrase-file', passphrase, '--json'],
      env,
    );
    expect([created.code, created.stderr]).toEqual([0, '']);
    expect(JSON.parse(created.stdout)).toMatchObject({ files: 1 });
    const dest = path.join(dir, 'restored');
    const extracted = await runInstalledCli(
      linked,
      ['archive', 'extract', archive, '--dest', dest, '--passphrase-file', passphrase],
      env,
    );
    expect([extracted.code, extracted.stderr]).toEqual([0, '']);
    expect(readFileSync(path.join(dest, 'notes', 'ä file.txt'), 'utf8')).toBe('kept through the launcher\n');
  });
});
