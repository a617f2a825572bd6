import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('writes every piece to the file it is given, in order, once hashed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudos-sha-write-'));
    try {
      const file = path.join(dir, 'out');
      const fd = openSync(file, 'w');
      const data = randomBytes(2 * 1024 * 1024 + 5);
      const hash = new OffThreadSha256(256 * 1024, 2, { writeTo: fd });
      hash.append(data.subarray(0, 5));
      for (let at = 5; at < data.length; at += 256 * 1024) {
        const buffer = await hash.acquire();
        const length = data.subarray(at, at + 256 * 1024).copy(buffer);
        hash.submit(buffer, length);
      }
      expect(await hash.digest()).toBe(sha256(data));
      closeSync(fd);
      expect(readFileSync(file).equals(data)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a failed write, and writes nothing after an abandoned stream was closed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudos-sha-write-'));
    try {
      const readOnly = openSync(path.join(dir, 'read-only'), 'w+');
      closeSync(readOnly);
      const fd = openSync(path.join(dir, 'read-only'), 'r');
      const failing = new OffThreadSha256(1024, 2, { writeTo: fd });
      failing.append(Buffer.from('refused'));
      await expect(failing.digest()).rejects.toMatchObject({ code: 'EBADF', syscall: 'write' });
      closeSync(fd);

      const file = path.join(dir, 'abandoned');
      const out = openSync(file, 'w');
      const abandoned = new OffThreadSha256(1024, 2, { writeTo: out });
      abandoned.append(Buffer.from('kept'));
      await abandoned.close();
      expect(readFileSync(file, 'utf8')).toBe('kept'); // handed over before close: written
      expect(() => abandoned.append(Buffer.from('late'))).toThrow(/closed/);
      closeSync(out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
