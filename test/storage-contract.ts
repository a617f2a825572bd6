import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import type { FileWritableBody, PartialUpload, StorageTarget } from '@/lib/core/storage/storage-target';

/** What a driver's test file hands the suite: a fresh, empty target and a way to tidy up. */
export interface ContractSubject {
  target: StorageTarget;
  /** Names of anything the driver left behind besides finished objects (temp files, uploads). */
  leftovers: () => Promise<string[]>;
  /**
   * Leaves what a put of `key` killed mid-way would leave (a temporary file, an open multipart
   * upload with one part), as a crashed process would. The key's directory already exists.
   */
  leavePartial: (key: string) => Promise<void>;
  cleanup: () => Promise<void>;
}

const MiB = 1024 * 1024;

/** Deterministic pseudo-random pieces: the same bytes can be regenerated to compare. */
async function* generated(totalBytes: number, seed: number, pieceSize = MiB): AsyncGenerator<Buffer> {
  let state = seed >>> 0;
  for (let done = 0; done < totalBytes; done += pieceSize) {
    const piece = Buffer.allocUnsafe(Math.min(pieceSize, totalBytes - done));
    for (let i = 0; i + 4 <= piece.length; i += 4) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      piece.writeUInt32LE(state, i);
    }
    yield piece;
  }
}

async function sha256Of(body: AsyncIterable<Uint8Array>): Promise<{ hex: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of body) {
    hash.update(piece);
    bytes += piece.length;
  }
  return { hex: hash.digest('hex'), bytes };
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const piece of body) parts.push(Buffer.from(piece));
  return Buffer.concat(parts);
}

async function* bytesOf(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

async function listKeys(target: StorageTarget, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of target.list(prefix)) keys.push(object.key);
  return keys;
}

async function listPartials(target: StorageTarget, prefix: string): Promise<PartialUpload[]> {
  const partials: PartialUpload[] = [];
  for await (const partial of target.listPartials(prefix)) partials.push(partial);
  return partials.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${(error as Error)?.message}`;
  }
  return 'no error';
}

/**
 * The one contract every storage driver must pass (see StorageTarget's doc comment). Each
 * driver's test file calls this with a factory for a fresh target on a real backend.
 */
/**
 * `data` as a FileWritableBody (as the archive writer gives it): iterated in 1 MiB pieces, or
 * written into a file; with `failure`, either way fails after the first MiB.
 */
export function fileWritable(data: Buffer, failure?: string): FileWritableBody {
  return {
    async *[Symbol.asyncIterator]() {
      for (let at = 0; at < data.length; at += MiB) {
        if (failure && at > 0) throw new Error(failure);
        yield data.subarray(at, at + MiB);
      }
    },
    async writeToFile(fd, onWritten) {
      for (let at = 0; at < data.length; at += MiB) {
        if (failure && at > 0) throw new Error(failure);
        const piece = data.subarray(at, at + MiB);
        writeSync(fd, piece);
        onWritten(piece.length);
      }
    },
  };
}

export function describeStorageContract(name: string, makeSubject: () => Promise<ContractSubject>): void {
  describe(`${name}: storage contract`, () => {
    let subject: ContractSubject;
    let target: StorageTarget;
    beforeAll(async () => {
      subject = await makeSubject();
      target = subject.target;
    }, 60_000);
    afterAll(async () => {
      await target?.close();
      await subject?.cleanup();
    });

    it('streams 64 MiB up and down with the same SHA-256', async () => {
      const expected = await sha256Of(generated(64 * MiB, 1));
      expect(await target.put('big/object.bin', generated(64 * MiB, 1), { sizeHint: 64 * MiB })).toEqual({ bytes: 64 * MiB });
      expect(await sha256Of(await target.get('big/object.bin'))).toEqual(expected);
      expect(await target.stat('big/object.bin')).toMatchObject({ key: 'big/object.bin', size: 64 * MiB });
    }, 120_000);

    it('stores what it was given when the producer reuses its buffer for every piece', async () => {
      // As the archive writer does: a piece is valid only until the next one is asked for.
      // 12 MiB in 1 MiB pieces spans several S3 parts and many SFTP writes.
      async function* reused(): AsyncGenerator<Buffer> {
        const buffer = Buffer.allocUnsafe(MiB);
        for await (const piece of generated(12 * MiB, 7)) {
          piece.copy(buffer);
          yield buffer;
          buffer.fill(0xee); // what the next piece would overwrite it with, or worse
        }
      }
      const expected = await sha256Of(generated(12 * MiB, 7));
      expect(await target.put('reused/object.bin', reused(), { sizeHint: 12 * MiB })).toEqual({ bytes: 12 * MiB });
      expect(await sha256Of(await target.get('reused/object.bin'))).toEqual(expected);
    }, 120_000);

    it('stores a body that can write itself into a file, whichever way the driver takes it', async () => {
      const data = Buffer.concat([Buffer.alloc(3 * MiB, 1), Buffer.from('tail')]);
      expect(await target.put('writable/ok.bin', fileWritable(data), { sizeHint: data.length })).toEqual({ bytes: data.length });
      expect((await readAll(await target.get('writable/ok.bin'))).equals(data)).toBe(true);
      await expect(target.put('writable/failed.bin', fileWritable(data, 'source failed'))).rejects.toThrow('source failed');
      expect(await target.stat('writable/failed.bin')).toBeNull();
      expect(await subject.leftovers()).toEqual([]);
    }, 60_000);

    it('reads byte ranges (inclusive ends, open end)', async () => {
      await target.put('range/abc.txt', bytesOf('0123456789abcdef'));
      expect((await readAll(await target.get('range/abc.txt', { range: { start: 2, end: 5 } }))).toString()).toBe('2345');
      expect((await readAll(await target.get('range/abc.txt', { range: { start: 10 } }))).toString()).toBe('abcdef');
    });

    it('lists every object under a prefix in key order, past 1,000 keys', async () => {
      const keys = Array.from({ length: 1005 }, (_, i) => `many/item-${String(i).padStart(4, '0')}`);
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((key) => target.put(key, bytesOf(key))));
      }
      await target.put('many-other/x', bytesOf('x'));
      expect(await listKeys(target, 'many/')).toEqual(keys);
      expect(await listKeys(target, 'many/item-100')).toEqual(keys.filter((k) => k.startsWith('many/item-100')));
      expect(await listKeys(target, 'nothing-here/')).toEqual([]);
    }, 120_000);

    it('a put aborted mid-stream leaves nothing visible and nothing behind', async () => {
      const controller = new AbortController();
      async function* failing(): AsyncGenerator<Buffer> {
        yield* generated(3 * MiB, 2);
        controller.abort(new Error('cancelled by the test'));
        yield* generated(3 * MiB, 3);
      }
      await expect(target.put('aborted/new.bin', failing(), { signal: controller.signal })).rejects.toThrow(
        'cancelled by the test',
      );
      expect(await target.stat('aborted/new.bin')).toBeNull();
      expect(await listKeys(target, 'aborted/')).toEqual([]);
      expect(await subject.leftovers()).toEqual([]);
    }, 60_000);

    it('a failed put over an existing object keeps the old one', async () => {
      await target.put('replace/me.txt', bytesOf('old contents'));
      async function* broken(): AsyncGenerator<Buffer> {
        yield Buffer.from('new cont');
        throw new Error('source failed');
      }
      await expect(target.put('replace/me.txt', broken())).rejects.toThrow('source failed');
      expect((await readAll(await target.get('replace/me.txt'))).toString()).toBe('old contents');
      await target.put('replace/me.txt', bytesOf('new contents'));
      expect((await readAll(await target.get('replace/me.txt'))).toString()).toBe('new contents');
      expect(await subject.leftovers()).toEqual([]);
    });

    it('lists the partial uploads of a running and a crashed put, and removes exactly the one asked', async () => {
      await target.put('partials/done.cob', bytesOf('complete'));
      await subject.leavePartial('partials/crashed.cob');
      // A put that sent 9 MiB (S3: one full part) and then waits for its source.
      const controller = new AbortController();
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      async function* stalled(): AsyncGenerator<Buffer> {
        yield* generated(9 * MiB, 5);
        await held;
      }
      const running = target.put('partials/flight.cob', stalled(), { signal: controller.signal, sizeHint: 9 * MiB });
      running.catch(() => {});
      const startedAt = Date.now();
      let partials: PartialUpload[] = [];
      while (partials.length < 2 && Date.now() - startedAt < 30_000) {
        partials = await listPartials(target, 'partials/');
        if (partials.length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(partials.map((p) => p.key)).toEqual(['partials/crashed.cob', 'partials/flight.cob']);
      for (const partial of partials) expect(Math.abs(partial.lastWrittenAt.getTime() - Date.now())).toBeLessThan(5 * 60_000);
      expect(await listPartials(target, 'other/')).toEqual([]);
      expect(await listKeys(target, 'partials/')).toEqual(['partials/done.cob']);

      const [crashed, flight] = partials as [PartialUpload, PartialUpload];
      await target.removePartial(crashed);
      await target.removePartial(crashed); // idempotent
      // The running put is still writing (its lastWrittenAt may move on): compare which one.
      expect((await listPartials(target, '')).map((p) => [p.key, p.id])).toEqual([[flight.key, flight.id]]);

      controller.abort(new Error('cancelled by the test'));
      release();
      await expect(running).rejects.toThrow('cancelled by the test');
      expect(await listPartials(target, '')).toEqual([]);
      expect(await subject.leftovers()).toEqual([]);
      expect((await readAll(await target.get('partials/done.cob'))).toString()).toBe('complete');
    }, 90_000);

    it('a missing key: stat is null, get is not_found, delete succeeds', async () => {
      expect(await target.stat('missing/key')).toBeNull();
      expect(await codeOf(target.get('missing/key'))).toBe('not_found');
      await target.delete('missing/key');
      await target.put('delete/me', bytesOf('x'));
      await target.delete('delete/me');
      expect(await target.stat('delete/me')).toBeNull();
    });

    it('refuses keys that could escape the target', async () => {
      for (const key of ['../escape', '/absolute', 'a/../b', '.hidden', 'a//b', '']) {
        expect(await codeOf(target.put(key, bytesOf('x')))).toBe('invalid_input');
      }
    });

    it('tests its connection step by step', async () => {
      expect(await target.testConnection()).toEqual({
        ok: true,
        steps: [
          { step: 'write', ok: true },
          { step: 'read', ok: true },
          { step: 'list', ok: true },
          { step: 'delete', ok: true },
        ],
      });
      expect(await listKeys(target, 'cloudos-probe/')).toEqual([]);
    });
  });
}
