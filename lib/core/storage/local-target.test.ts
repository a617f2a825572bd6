import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeStorageContract, fileWritable } from '@/test/storage-contract';
import { LocalTarget } from './local-target';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const run = promisify(execFile);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describeStorageContract('local directory', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cloudos-local-target-'));
  return {
    target: new LocalTarget(root),
    leftovers: async () => walk(root).filter((f) => path.basename(f).startsWith('.')),
    leavePartial: async (key) => {
      const file = path.join(root, key);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(path.join(path.dirname(file), `.${path.basename(file)}.tmp-0123456789ab`), 'half of it');
    },
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('local directory: a body that writes itself', () => {
  it("is written by the body itself (the archive writer's thread), not iterated", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'cloudos-local-target-'));
    try {
      const data = Buffer.alloc(2 * 1024 * 1024 + 3, 7);
      const body = fileWritable(data);
      body[Symbol.asyncIterator] = () => {
        throw new Error('iterated');
      };
      expect(await new LocalTarget(root).put('a/b.bin', body)).toEqual({ bytes: data.length });
      expect(walk(root).map((f) => path.relative(root, f))).toEqual(['a/b.bin']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('local directory: configuration errors', () => {
  it('needs an absolute path', () => {
    expect(() => new LocalTarget('relative/backups')).toThrow(
      'The backup directory must be an absolute path (got "relative/backups").',
    );
  });

  it('says when the directory does not exist or is a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudos-local-bad-'));
    const missing = new LocalTarget(path.join(dir, 'nope'));
    const result = await missing.testConnection();
    expect(result.ok).toBe(false);
    expect(result.steps).toEqual([
      {
        step: 'write',
        ok: false,
        message: `The backup directory ${path.join(dir, 'nope')} does not exist. Create it, or choose another.`,
      },
    ]);
    writeFileSync(path.join(dir, 'file'), 'x');
    await expect(new LocalTarget(path.join(dir, 'file')).stat('a')).rejects.toMatchObject({ code: 'misconfigured' });
    await expect(new LocalTarget(path.join(dir, 'file')).testConnection()).resolves.toMatchObject({
      ok: false,
      steps: [{ step: 'write', message: `${path.join(dir, 'file')} is not a directory.` }],
    });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('local directory: permissions', () => {
  // Root ignores file modes, so the check runs in a child process as nobody (uid 65534)
  // against a directory root owns with mode 0755, as a real deployment would meet it.
  it('says which user cannot write where', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'cloudos-local-perm-'));
    const home = path.join(base, 'home'); // HOME and TMPDIR (tsx's cache) for the child
    const backups = path.join(base, 'backups');
    mkdirSync(home);
    chownSync(home, 65534, 65534);
    mkdirSync(backups, { mode: 0o755 });
    chmodSync(base, 0o755);
    try {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'test/helpers/local-target-probe.ts'), backups],
        { cwd: ROOT, uid: 65534, gid: 65534, env: { ...process.env, HOME: home, TMPDIR: home } },
      );
      const message = `Permission denied: the Cloud OS process (user nobody, uid 65534) cannot write to ${backups}. Give it write access to the directory, or choose another.`;
      expect(JSON.parse(stdout)).toEqual({
        connection: { ok: false, steps: [{ step: 'write', ok: false, message }] },
        put: { code: 'access_denied', message },
      });
      expect(readdirSync(backups)).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 60_000);
});
