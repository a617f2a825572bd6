import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWriterThread } from './file-writer-thread';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-writer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const meta = { mode: 0o640, mtimeSeconds: 1_600_000_000, owner: null };

/** Open file descriptors of this process (the thread's are the process's). */
const openFds = () => readdirSync('/proc/self/fd').length;

describe('FileWriterThread', () => {
  it('writes files in order, with their data, mode and mtime, whatever the piece sizes', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 12_345); // more than the thread's buffers at once
    const writer = new FileWriterThread();
    writer.open(path.join(dir, 'big'));
    for (let at = 0; at < big.length; at += 700_001) await writer.write(big.subarray(at, at + 700_001));
    writer.close(meta);
    for (let i = 0; i < 300; i += 1) {
      writer.open(path.join(dir, `small-${i}`));
      await writer.write(Buffer.from(`file ${i}`));
      writer.close({ ...meta, mode: 0o600 + (i % 8) });
      if (i % 7 === 0) writer.flush();
    }
    writer.open(path.join(dir, 'empty'));
    writer.close(meta);
    await writer.finish();

    expect(readFileSync(path.join(dir, 'big')).equals(big)).toBe(true);
    expect(lstatSync(path.join(dir, 'big')).mode & 0o7777).toBe(0o640);
    expect(lstatSync(path.join(dir, 'big')).mtimeMs).toBe(1_600_000_000_000);
    for (const i of [0, 1, 150, 299]) {
      expect(readFileSync(path.join(dir, `small-${i}`), 'utf8')).toBe(`file ${i}`);
      expect(lstatSync(path.join(dir, `small-${i}`)).mode & 0o7777).toBe(0o600 + (i % 8));
    }
    expect(lstatSync(path.join(dir, 'empty')).size).toBe(0);
  });

  it('copies what it is given: the caller may reuse its buffer at once', async () => {
    const writer = new FileWriterThread();
    const scratch = Buffer.alloc(4);
    writer.open(path.join(dir, 'f'));
    for (const text of ['abcd', 'efgh']) {
      scratch.write(text);
      await writer.write(scratch);
    }
    writer.close(meta);
    scratch.write('zzzz');
    await writer.finish();
    expect(readFileSync(path.join(dir, 'f'), 'utf8')).toBe('abcdefgh');
  });

  it('never replaces or follows what is already there, and writes nothing after an error', async () => {
    writeFileSync(path.join(dir, 'existing'), 'keep');
    symlinkSync('/tmp', path.join(dir, 'link'));
    for (const taken of ['existing', 'link']) {
      const fdsBefore = openFds();
      const writer = new FileWriterThread();
      writer.open(path.join(dir, `before-${taken}`));
      await writer.write(Buffer.from('ok'));
      writer.close(meta);
      writer.open(path.join(dir, taken));
      await writer.write(Buffer.from('overwritten'));
      writer.close(meta);
      writer.open(path.join(dir, `after-${taken}`));
      writer.close(meta);
      await expect(writer.finish()).rejects.toMatchObject({ code: 'EEXIST', syscall: 'open' });
      await writer.stop(); // what a caller does after a failure: harmless once stopped
      expect(readFileSync(path.join(dir, `before-${taken}`), 'utf8')).toBe('ok');
      expect(existsSync(path.join(dir, `after-${taken}`))).toBe(false);
      expect(openFds()).toBe(fdsBefore);
    }
    expect(readFileSync(path.join(dir, 'existing'), 'utf8')).toBe('keep');
    expect(lstatSync(path.join(dir, 'link')).isSymbolicLink()).toBe(true);
  });

  it('reports an error to the next call, so a long extraction stops early', async () => {
    const writer = new FileWriterThread();
    writer.open(path.join(dir, 'missing-dir', 'f'));
    await writer.write(Buffer.alloc(10));
    writer.close(meta);
    writer.flush();
    const deadline = Date.now() + 5000;
    let error: unknown = null;
    while (!error && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      try {
        writer.flush();
      } catch (caught) {
        error = caught;
      }
    }
    expect(error).toMatchObject({ code: 'ENOENT' });
    await writer.stop();
  });

  it('stop() closes the current file and writes nothing asked for after it', async () => {
    const fdsBefore = openFds();
    const writer = new FileWriterThread();
    writer.open(path.join(dir, 'partial'));
    await writer.write(Buffer.from('first'));
    writer.flush();
    await writer.write(Buffer.from('second'));
    writer.close(meta);
    writer.open(path.join(dir, 'never'));
    await writer.stop();
    expect(readFileSync(path.join(dir, 'partial'), 'utf8')).toBe('first');
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
    expect(openFds()).toBe(fdsBefore);
  });
});
