import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compressChunk, decompressChunk } from './compression';
import { CODEC_RAW, CODEC_ZSTD } from './format';

const MIB = 1024 * 1024;
const text = Buffer.from('2026-11-27 12:00:01 INFO request served in 12 ms, user=alice path=/photos\n'.repeat(15_000)).subarray(
  0,
  MIB,
);
const noise = randomBytes(MIB);

describe('compressChunk', () => {
  it.each([false, true])('compresses text and keeps random bytes raw, whatever the hint (%s)', async (likelyCompressible) => {
    const packed = await compressChunk(text, likelyCompressible);
    expect(packed.codec).toBe(CODEC_ZSTD);
    expect(packed.body.length).toBeLessThan(text.length / 10);
    expect((await decompressChunk(packed.codec, packed.body, MIB, 0n)).equals(text)).toBe(true);
    // The hint only skips the sample: a chunk that does not shrink is still stored as it is.
    const raw = await compressChunk(noise, likelyCompressible);
    expect(raw.codec).toBe(CODEC_RAW);
    expect(raw.body.equals(noise)).toBe(true);
  });

  it('keeps a chunk raw when its sample does not shrink, even if the rest would', async () => {
    const mixed = Buffer.concat([noise.subarray(0, 64 * 1024), text.subarray(0, MIB - 64 * 1024)]);
    expect((await compressChunk(mixed)).codec).toBe(CODEC_RAW);
    expect((await compressChunk(mixed, true)).codec).toBe(CODEC_ZSTD);
  });
});
