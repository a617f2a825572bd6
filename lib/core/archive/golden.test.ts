import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotTree } from '@/test/helpers/tree';
import { extractArchiveFile, verifyArchiveFile } from './archive-file';

// Golden archives are made once per format version (scripts/make-golden-archive.ts) and never
// regenerated: if this test fails, a change broke the promise that old backups stay restorable.
const FIXTURES = path.resolve('test/fixtures/golden');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each(['v1-basic'])('golden archive %s', (name) => {
  const file = path.join(FIXTURES, `${name}.cob`);
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

  it('is unchanged, byte for byte', () => {
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(expected.fileSha256);
  });

  it('opens with its passphrase alone and restores the recorded tree', async () => {
    const dest = path.join(mkdtempSync(path.join(tmpdir(), 'cloudos-golden-')), 'out');
    dirs.push(path.dirname(dest));
    const { info, contents } = await extractArchiveFile({ file, destDir: dest, passphrase: expected.passphrase });
    expect(info.header.archiveId).toBe(expected.archive.archiveId);
    expect(info.sha256).toBe(expected.archive.sha256);
    expect(info.chunks).toBe(expected.archive.chunks);
    expect(contents.files).toBeGreaterThan(0);
    const restored = Object.fromEntries(
      Object.entries(snapshotTree(dest)).map(([p, { uid: _u, gid: _g, ...rest }]) => [p, rest]),
    );
    expect(restored).toEqual(expected.tree);
  });

  it('opens with its master key and verifies', async () => {
    const { info } = await verifyArchiveFile({ file, masterKeys: [Buffer.from(expected.masterKeyHex, 'hex')] });
    expect(info.plainBytes).toBe(expected.archive.plainBytes);
  });
});
