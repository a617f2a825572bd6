import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyFile, generateMasterKey, type KeyFile } from '@/lib/core/crypto/key-file';
import { generateTree, snapshotTree } from '@/test/helpers/tree';
import { createArchiveFile, extractArchiveFile, verifyArchiveFile } from './archive-file';
import { TarExtractor } from './extract-tar';
import { TreePacker } from './pack-tree';

let dir: string;
let masterKey: Buffer;
let keyFile: KeyFile;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-tree-'));
  masterKey = generateMasterKey();
  keyFile = await createKeyFile(masterKey, 'correct horse battery', { memoryKiB: 8192, iterations: 1, parallelism: 1 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('directory trees survive create → extract unchanged', () => {
  it.each([1, 2, 3, 4, 5])('generated tree #%i', async (seed) => {
    const source = path.join(dir, `src-${seed}`);
    mkdirSync(source);
    const chunkSize = 4096;
    generateTree(source, seed, chunkSize);
    const file = path.join(dir, `tree-${seed}.cob`);
    const { stats, pack } = await createArchiveFile({ sourceDir: source, outFile: file, masterKey, keyFile, chunkSize });
    expect(pack.files).toBe(40);
    expect(pack.symlinks).toBe(8);
    const verified = await verifyArchiveFile({ file, masterKeys: [masterKey] });
    expect(verified.info.sha256).toBe(stats.sha256);
    expect(verified.contents).toMatchObject({ files: 40, symlinks: 8 });
    const dest = path.join(dir, `out-${seed}`);
    const { contents } = await extractArchiveFile({ file, destDir: dest, masterKeys: [masterKey] });
    expect(contents.files).toBe(40);
    expect(snapshotTree(dest)).toEqual(snapshotTree(source));
  });

  it('an empty directory, and empty files only', async () => {
    const source = path.join(dir, 'empty-src');
    mkdirSync(path.join(source, 'a', 'b'), { recursive: true });
    writeFileSync(path.join(source, 'zero'), '');
    const file = path.join(dir, 'empty.cob');
    await createArchiveFile({ sourceDir: source, outFile: file, masterKey, keyFile });
    const dest = path.join(dir, 'empty-out');
    await extractArchiveFile({ file, destDir: dest, masterKeys: [masterKey] });
    expect(snapshotTree(dest)).toEqual(snapshotTree(source));
  });

  it('a file larger than 8 GiB keeps its exact size (pax size record)', async () => {
    const source = path.join(dir, 'huge-src');
    mkdirSync(source);
    const size = 8 * 1024 ** 3 + 1;
    writeFileSync(path.join(source, 'sparse.img'), '');
    truncateSync(path.join(source, 'sparse.img'), size); // sparse: no disk used
    const packer = new TreePacker();
    const checker = new TarExtractor(path.join(dir, 'unused'), { dryRun: true });
    const result = await checker.extract(packer.pack(source));
    expect(result).toMatchObject({ files: 1, bytes: size });
  }, 120_000);
});

describe('cancelling', () => {
  it('stops create and extract on abort and leaves nothing that looks like a result', async () => {
    const source = path.join(dir, 'cancel-src');
    mkdirSync(source);
    for (let i = 0; i < 40; i += 1) writeFileSync(path.join(source, `file-${i}`), Buffer.alloc(1024 * 1024, i));
    const outFile = path.join(dir, 'cancelled.cob');
    const creating = new AbortController();
    const create = createArchiveFile({ sourceDir: source, outFile, masterKey, keyFile, signal: creating.signal });
    setTimeout(() => creating.abort(new Error('stop')), 5);
    await expect(create).rejects.toThrow('stop');
    expect(readdirSync(dir).filter((n) => n.includes('cancelled'))).toEqual([]);

    const file = path.join(dir, 'complete.cob');
    await createArchiveFile({ sourceDir: source, outFile: file, masterKey, keyFile });
    const extracting = new AbortController();
    const dest = path.join(dir, 'cancel-out');
    const extract = extractArchiveFile({ file, destDir: dest, masterKeys: [masterKey], signal: extracting.signal });
    setTimeout(() => extracting.abort(new Error('stop')), 5);
    await expect(extract).rejects.toThrow('stop');
    expect(readdirSync(dir).filter((n) => n.includes('cancel-out'))).toEqual([]);
  });
});
