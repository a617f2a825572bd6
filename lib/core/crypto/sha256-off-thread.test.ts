import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OffThreadSha256 } from './sha256-off-thread';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Hashes `data` as the archive code does: small pieces appended, large ones filled in place. */
async function hashInPieces(data: Buffer, sizes: number[], bufferBytes = 64 * 1024): Promise<string> {
  const hash = new OffThreadSha256(bufferBytes);
  let at = 0;
  for (let i = 0; at < data.length; i += 1) {
    const size = Math.min(sizes[i % sizes.length] as number, data.length - at);
    const piece = data.subarray(at, at + size);
    if (size < 100) hash.append(piece);
    else {
      const buffer = await hash.acquire();
      piece.copy(buffer);
      hash.submit(buffer, size);
    }
    at += size;
  }
  return hash.digest();
}

describe('OffThreadSha256', () => {
  it('gives the SHA-256 of the whole stream, however it is cut', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    expect(await hashInPieces(data, [65_536])).toBe(sha256(data));
    expect(await hashInPieces(data, [5, 40_000, 1, 65_536, 99, 12_345])).toBe(sha256(data));
    expect(await hashInPieces(Buffer.alloc(0), [1])).toBe(sha256(Buffer.alloc(0)));
  });

  it('keeps streams apart when several run at once', async () => {
    const inputs = [randomBytes(500_000), randomBytes(700_000), randomBytes(10)];
    const digests = await Promise.all(inputs.map((data, i) => hashInPieces(data, [30_000 + i * 7, 3])));
    expect(digests).toEqual(inputs.map(sha256));
  });

  it('lends at most its number of buffers: the next waits until the thread gave one back', async () => {
    const hash = new OffThreadSha256(1024, 2);
    const first = await hash.acquire();
    const second = await hash.acquire();
    let third: Buffer | null = null;
    const waiting = hash.acquire().then((buffer) => {
      third = buffer;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(third).toBeNull();
    first.fill(1);
    hash.submit(first, 1024);
    await waiting;
    expect((third as Buffer | null)?.length).toBe(1024);
    second.fill(2);
    hash.submit(second, 10);
    expect(await hash.digest()).toBe(sha256(Buffer.concat([Buffer.alloc(1024, 1), Buffer.alloc(10, 2)])));
  });

  it('refuses to be used once closed or digested', async () => {
    const hash = new OffThreadSha256(1024);
    hash.append(Buffer.from('abc'));
    expect(await hash.digest()).toBe(sha256(Buffer.from('abc')));
    expect(() => hash.append(Buffer.from('more'))).toThrow(/closed/);
    const abandoned = new OffThreadSha256(1024);
    abandoned.close();
    abandoned.close();
    await expect(abandoned.acquire()).rejects.toThrow(/closed/);
  });

  it('does not keep a process alive once its streams are done or abandoned', () => {
    const script = `
      import { OffThreadSha256 } from './lib/core/crypto/sha256-off-thread.ts';
      const done = new OffThreadSha256(1024);
      done.append(Buffer.from('x'));
      console.log(await done.digest());
      new OffThreadSha256(1024).close();
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.error).toBeUndefined(); // not killed by the timeout
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe(sha256(Buffer.from('x')));
  });
});
