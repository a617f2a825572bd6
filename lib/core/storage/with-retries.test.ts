import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { fileWritable } from '@/test/storage-contract';
import { LocalTarget } from './local-target';
import { canWriteToFile, type StorageTarget } from './storage-target';
import { withRetries } from './with-retries';

// A real local target behind a gate that fails the first N calls of each method, as a
// flaky network would.
let root: string;
let real: LocalTarget;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cloudos-retry-'));
  real = new LocalTarget(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

function flaky(failures: number, error = new AppError('unreachable', 'Cannot reach the server.', { retryable: true })) {
  const calls = { put: 0, get: 0, stat: 0 };
  const left = { put: failures, get: failures, stat: failures };
  const target: StorageTarget = {
    kind: 'local',
    async put(key, body, options) {
      calls.put += 1;
      if (left.put-- > 0) throw error;
      return real.put(key, body, options);
    },
    async get(key, options) {
      calls.get += 1;
      if (left.get-- > 0) throw error;
      return real.get(key, options);
    },
    async stat(key) {
      calls.stat += 1;
      if (left.stat-- > 0) throw error;
      return real.stat(key);
    },
    list: (prefix) => real.list(prefix),
    delete: (key) => real.delete(key),
    discardPartial: (key) => real.discardPartial(key),
    listPartials: (prefix) => real.listPartials(prefix),
    removePartial: (partial) => real.removePartial(partial),
    testConnection: () => real.testConnection(),
    close: () => real.close(),
  };
  return { target, calls };
}

async function* once(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

describe('withRetries', () => {
  it('retries retryable failures until the call succeeds', async () => {
    const { target, calls } = flaky(2);
    const wrapped = withRetries(target, FAST);
    await wrapped.put('a/b', once('hello'));
    expect(calls.put).toBe(3);
    expect(await wrapped.stat('a/b')).toMatchObject({ size: 5 });
  });

  it('gives up after the last attempt and rethrows the error', async () => {
    const { target, calls } = flaky(5);
    await expect(withRetries(target, FAST).stat('x')).rejects.toMatchObject({ code: 'unreachable' });
    expect(calls.stat).toBe(3);
  });

  it('does not retry permanent errors', async () => {
    const { target, calls } = flaky(1, new AppError('auth_failed', 'Wrong password.'));
    await expect(withRetries(target, FAST).stat('x')).rejects.toMatchObject({ code: 'auth_failed' });
    expect(calls.stat).toBe(1);
  });

  it('never replays a body that was already read', async () => {
    const consumedThenFails: StorageTarget = {
      kind: 'local',
      list: (p) => real.list(p),
      async put(_key, body) {
        for await (const _ of body) break;
        throw new AppError('unreachable', 'Connection dropped mid-upload.', { retryable: true });
      },
      get: (k, o) => real.get(k, o),
      stat: (k) => real.stat(k),
      delete: (k) => real.delete(k),
      discardPartial: (k) => real.discardPartial(k),
      listPartials: (p) => real.listPartials(p),
      removePartial: (p) => real.removePartial(p),
      testConnection: () => real.testConnection(),
      close: () => real.close(),
    };
    let reads = 0;
    async function* body(): AsyncGenerator<Buffer> {
      reads += 1;
      yield Buffer.from('data');
    }
    await expect(withRetries(consumedThenFails, FAST).put('k', body())).rejects.toThrow('Connection dropped mid-upload.');
    expect(reads).toBe(1);
  });

  it('passes on a body that writes itself into a file, retrying only before it started', async () => {
    const { target, calls } = flaky(1);
    const data = Buffer.alloc(3 * 1024 * 1024, 5);
    const body = fileWritable(data);
    body[Symbol.asyncIterator] = () => {
      throw new Error('iterated');
    };
    expect(await withRetries(target, FAST).put('self-written', body)).toEqual({ bytes: data.length });
    expect(calls.put).toBe(2);
    expect((await readFile(path.join(root, 'self-written'))).equals(data)).toBe(true);

    const writesThenDrops: StorageTarget = {
      ...target,
      async put(_key, written) {
        const scratch = openSync(path.join(root, 'scratch'), 'w');
        try {
          if (canWriteToFile(written)) await written.writeToFile(scratch, () => {});
        } finally {
          closeSync(scratch);
        }
        throw new AppError('unreachable', 'Connection dropped mid-upload.', { retryable: true });
      },
    };
    await expect(withRetries(writesThenDrops, FAST).put('k', fileWritable(data))).rejects.toThrow('Connection dropped');
  });
});
