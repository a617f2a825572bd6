import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStorageContract } from '@/test/storage-contract';
import { LocalTarget } from './local-target';

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
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
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
