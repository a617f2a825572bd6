import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@/test/helpers/processes';

// Streams 4 GiB through the real CLI and checks that memory stays bounded: the pipeline
// holds a few chunks, never the archive. (Throughput is the benchmark's job, not a test's.)
const GiB = 1024 ** 3;
const BLOCK = 64 * 1024 * 1024;
// Streaming keeps memory flat whatever the size: 150 MiB is the archive benchmark's goal too
// (a small home server runs other apps beside a backup).
const PEAK_RSS_LIMIT = 150 * 1024 * 1024;
let dir: string;
let sourceHash: string;

function hashFile(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(BLOCK);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-memory-'));
  mkdirSync(path.join(dir, 'src'));
  // 3.5 GiB that does not compress (like photos) and 0.5 GiB of text that does.
  const noise = randomBytes(BLOCK);
  const text = Buffer.alloc(BLOCK);
  for (let at = 0; at < BLOCK; )
    at += text.write(`2026-11-26T10:00:${String(at % 60).padStart(2, '0')}Z INFO request ${at} ok\n`, at);
  const file = path.join(dir, 'src', 'disk.img');
  const fd = openSync(file, 'w');
  for (let i = 0; i < (4 * GiB) / BLOCK; i += 1) {
    const block = i < 56 ? noise : text;
    block.writeUInt32BE(i, 0); // no two blocks alike
    for (let at = 0; at < BLOCK; ) at += writeSync(fd, block, at);
  }
  closeSync(fd);
  sourceHash = hashFile(file);
  writeFileSync(path.join(dir, 'pass'), 'memory test passphrase\n');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('4 GiB through archive create → extract', () => {
  it('keeps peak memory bounded and restores every byte', async () => {
    const env = { CLOUDOS_DATA_DIR: path.join(dir, 'data') };
    const archive = path.join(dir, 'disk.cob');
    const created = await runCli(
      [
        'archive',
        'create',
        '--source',
        path.join(dir, 'src'),
        '--out',
        archive,
        '--passphrase-file',
        path.join(dir, 'pass'),
        '--json',
      ],
      env,
    );
    expect(created.stderr).toBe('');
    const createSummary = JSON.parse(created.stdout);
    expect(createSummary.plainBytes).toBeGreaterThan(4 * GiB);
    expect(createSummary.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT);

    const dest = path.join(dir, 'restored');
    const extracted = await runCli(
      ['archive', 'extract', archive, '--dest', dest, '--passphrase-file', path.join(dir, 'pass'), '--json'],
      env,
    );
    expect(extracted.stderr).toBe('');
    const extractSummary = JSON.parse(extracted.stdout);
    expect(extractSummary.bytes).toBe(4 * GiB);
    expect(extractSummary.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT);
    expect(hashFile(path.join(dest, 'disk.img'))).toBe(sourceHash);
    console.log(
      `4 GiB: create ${createSummary.seconds.toFixed(1)} s, peak ${(createSummary.peakRssBytes / 2 ** 20).toFixed(0)} MiB; ` +
        `extract ${extractSummary.seconds.toFixed(1)} s, peak ${(extractSummary.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    );
  }, 600_000);
});
