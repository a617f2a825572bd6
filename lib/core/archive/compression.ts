import { compress, decompress } from '@mongodb-js/zstd';
import { CODEC_RAW, CODEC_ZSTD, corrupted } from './format';

/**
 * zstd via @mongodb-js/zstd (prebuilt N-API binaries inside its npm packages). Its async
 * calls run on libuv's thread pool, which is how compression leaves the main thread and uses
 * the second core. Level and the measurements behind it: docs/BENCHMARKS.md.
 */
export const ZSTD_LEVEL = 3;
const SAMPLE_BYTES = 64 * 1024;
/** A sample that does not shrink below this ratio marks the chunk as incompressible. */
const SAMPLE_RATIO = 0.97;

/**
 * Compresses one chunk, or keeps it raw when that is not smaller. Photos and video do not
 * compress: a 64 KiB sample decides that for 6 % of the cost of trying the whole chunk. Data
 * comes in runs (a photo library, then documents), so when the chunk before compressed
 * (`likelyCompressible`), the sample is skipped: it would only be compressed twice.
 */
export async function compressChunk(chunk: Buffer, likelyCompressible = false): Promise<{ codec: number; body: Buffer }> {
  if (chunk.length === 0) return { codec: CODEC_RAW, body: chunk };
  if (!likelyCompressible && chunk.length >= SAMPLE_BYTES * 4) {
    const sample = await compress(chunk.subarray(0, SAMPLE_BYTES), ZSTD_LEVEL);
    if (sample.length >= SAMPLE_BYTES * SAMPLE_RATIO) return { codec: CODEC_RAW, body: chunk };
  }
  const packed = await compress(chunk, ZSTD_LEVEL);
  return packed.length < chunk.length ? { codec: CODEC_ZSTD, body: packed } : { codec: CODEC_RAW, body: chunk };
}

/** The inverse, for an authenticated chunk; refuses output larger than the chunk size. */
export async function decompressChunk(codec: number, body: Buffer, chunkSize: number, index: bigint): Promise<Buffer> {
  if (codec === CODEC_RAW) return body;
  if (codec !== CODEC_ZSTD) throw corrupted(`chunk ${index} has unknown codec ${codec}`);
  let out: Buffer;
  try {
    out = await decompress(body);
  } catch {
    throw corrupted(`chunk ${index} does not decompress`);
  }
  if (out.length > chunkSize) throw corrupted(`chunk ${index} decompresses beyond the chunk size`);
  return out;
}
