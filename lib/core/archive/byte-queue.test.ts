import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { directReader, fromBuffers } from '@/test/helpers/archive-bytes';
import { ByteQueue, fill } from './byte-queue';

describe('ByteQueue', () => {
  it('gives back the bytes in order, however they were pushed and taken', () => {
    const data = randomBytes(300_000);
    const queue = new ByteQueue();
    const out: Buffer[] = [];
    for (let at = 0, i = 0; at < data.length; i += 1) {
      const size = [1, 70_000, 13, 100_000][i % 4] as number;
      queue.push(data.subarray(at, at + size));
      at += size;
      if (queue.length > 5000) out.push(Buffer.from(queue.take(queue.length - 17)));
    }
    out.push(Buffer.from(queue.take(queue.length)));
    expect(Buffer.concat(out).equals(data)).toBe(true);
  });

  it.each([
    [1, 10_000],
    [4096, 3 * 1024 * 1024 + 5],
    [1024 * 1024 + 3, 3 * 1024 * 1024 + 5],
  ])('fills itself from a reader of at most %i bytes per read as from pieces, and says when it ended', async (maxRead, size) => {
    const data = randomBytes(size);
    const direct = new ByteQueue();
    const pieces = new ByteQueue();
    const reader = directReader(data, maxRead);
    const iterator = fromBuffers(data);
    let taken = 0;
    for (const n of [7, 1024 * 1024 + 21, 1, 2 * 1024 * 1024]) {
      const wanted = Math.min(n, data.length - taken);
      expect(direct.fillFrom(reader, wanted)).toBe(true);
      expect(await fill(pieces, iterator, wanted)).toBe(true);
      const piece = direct.take(wanted);
      expect(piece.equals(data.subarray(taken, taken + wanted))).toBe(true);
      expect(pieces.take(wanted).equals(piece)).toBe(true);
      taken += wanted;
    }
    const rest = data.length - taken;
    expect(direct.fillFrom(reader, rest + 1)).toBe(false); // one byte more than there is
    expect(direct.length).toBe(rest);
    expect(direct.take(rest).equals(data.subarray(taken))).toBe(true);
  });
});
