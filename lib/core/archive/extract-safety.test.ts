import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBuffers } from '@/test/helpers/archive-bytes';
import { safeComponents, TarExtractor } from './extract-tar';
import { END_OF_ARCHIVE, encodeTarHeader, paddingFor, type TarEntry } from './tar-header';

let dir: string;
let dest: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-safety-'));
  dest = path.join(dir, 'dest');
  mkdirSync(dest);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = { mode: 0o644, uid: 0, gid: 0, size: 0, mtimeNs: 1_700_000_000_000_000_000n };

function entry(partial: Partial<TarEntry> & { path: string; type: TarEntry['type'] }, data = ''): Buffer {
  const body = Buffer.from(data);
  return Buffer.concat([
    encodeTarHeader({ ...base, ...partial, size: body.length }),
    body,
    Buffer.alloc(paddingFor(body.length)),
  ]);
}

/** A raw ustar header with any type flag (devices, hard links: our writer never makes them). */
function rawEntry(name: string, typeflag: string): Buffer {
  const block = encodeTarHeader({ ...base, path: name, type: 'file' });
  block.write(typeflag, 156, 1, 'ascii');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

async function extract(...parts: Buffer[]) {
  return new TarExtractor(dest).extract(fromBuffers(Buffer.concat([...parts, END_OF_ARCHIVE])));
}

describe('the extractor writes only below its destination', () => {
  it.each([
    ['/etc/cron.d/evil', /absolute path/],
    ['../escape', /leaves the destination/],
    ['a/../../escape', /leaves the destination/],
    ['ok/..', /leaves the destination/],
  ])('refuses the name %s', async (name, message) => {
    await expect(extract(entry({ path: name, type: 'file' }, 'x'))).rejects.toMatchObject({
      code: 'unsafe_archive',
      message: expect.stringMatching(message),
    });
    expect(existsSync(path.join(dir, 'escape'))).toBe(false);
  });

  it('refuses to write through a symlink the archive made, whatever it points to', async () => {
    for (const target of [dir, '/tmp', '.']) {
      rmSync(dest, { recursive: true, force: true });
      mkdirSync(dest);
      await expect(
        extract(entry({ path: 'link', type: 'symlink', linkTarget: target }), entry({ path: 'link/planted', type: 'file' }, 'x')),
      ).rejects.toMatchObject({
        code: 'unsafe_archive',
        message: expect.stringMatching(/written through the symlink "link"/),
      });
      expect(existsSync(path.join(dir, 'planted'))).toBe(false);
    }
  });

  it('refuses a symlink over an existing directory and a name that appears twice', async () => {
    await expect(
      extract(entry({ path: 'd', type: 'directory' }), entry({ path: 'd', type: 'symlink', linkTarget: '/' })),
    ).rejects.toMatchObject({ code: 'unsafe_archive' });
    rmSync(dest, { recursive: true });
    mkdirSync(dest);
    await expect(extract(entry({ path: 'f', type: 'file' }, 'one'), entry({ path: 'f', type: 'file' }, 'two'))).rejects.toThrow(
      /appears twice/,
    );
  });

  it.each([
    ['3', /device or FIFO/],
    ['4', /device or FIFO/],
    ['6', /device or FIFO/],
    ['1', /hard link/],
  ])('refuses entries of type %s', async (flag, message) => {
    await expect(extract(rawEntry('thing', flag))).rejects.toMatchObject({
      code: 'unsafe_archive',
      message: expect.stringMatching(message),
    });
    expect(readdirSync(dest)).toEqual([]);
  });

  it('restores symlinks verbatim: absolute, dangling and relative', async () => {
    await extract(
      entry({ path: 'abs', type: 'symlink', linkTarget: '/etc/passwd' }),
      entry({ path: 'dangling', type: 'symlink', linkTarget: 'no/such/file' }),
      entry({ path: 'up', type: 'symlink', linkTarget: '../../outside' }),
    );
    const { readlinkSync } = await import('node:fs');
    expect(['abs', 'dangling', 'up'].map((n) => readlinkSync(path.join(dest, n)))).toEqual([
      '/etc/passwd',
      'no/such/file',
      '../../outside',
    ]);
  });

  it('reports a damaged header checksum and a stream without its end marker', async () => {
    const bad = entry({ path: 'f', type: 'file' }, 'data');
    bad[0] = 0x41;
    await expect(extract(bad)).rejects.toMatchObject({ code: 'corrupted', message: expect.stringMatching(/checksum/) });
    await expect(new TarExtractor(dest).extract(fromBuffers(entry({ path: 'g', type: 'file' }, 'data')))).rejects.toThrow(
      /without the end-of-archive marker/,
    );
  });

  it('splits names into safe components', () => {
    expect(safeComponents('./a//b/./c/')).toEqual(['a', 'b', 'c']);
    expect(() => safeComponents('a\0b')).toThrow(/NUL/);
  });
});

describe('a routed extraction (a restore writing several staging directories)', () => {
  const route = (a: string, b: string) => (parts: string[]) =>
    parts[0] === 'a' ? { root: a, parts: parts.slice(1) } : parts[0] === 'b' ? { root: b, parts: parts.slice(1) } : null;

  it('writes routed entries below their roots, reads the rest through without writing it', async () => {
    const a = path.join(dir, 'stage-a');
    const b = path.join(dir, 'stage-b');
    mkdirSync(a);
    mkdirSync(b);
    const tar = Buffer.concat([
      entry({ path: 'a', type: 'directory', mode: 0o750 }),
      entry({ path: 'a/x/file', type: 'file' }, 'in a'),
      entry({ path: 'other/big', type: 'file' }, 'not wanted'.repeat(100)),
      entry({ path: 'b/file', type: 'file' }, 'in b'),
      END_OF_ARCHIVE,
    ]);
    const result = await new TarExtractor(dest, { route: route(a, b) }).extract(fromBuffers(tar));
    expect(readdirSync(a)).toEqual(['x']);
    expect(readdirSync(b)).toEqual(['file']);
    expect(readdirSync(dest)).toEqual([]);
    expect(existsSync(path.join(dir, 'other'))).toBe(false);
    // The root's own directory entry describes the root: its mode is applied to it.
    expect(statSync(a).mode & 0o777).toBe(0o750);
    expect(result.files).toBe(2);
  });

  it('still refuses unsafe names and entries that would replace a root', async () => {
    const a = path.join(dir, 'stage-a');
    mkdirSync(a);
    const run = (...entries: Buffer[]) =>
      new TarExtractor(dest, { route: route(a, a) }).extract(fromBuffers(Buffer.concat([...entries, END_OF_ARCHIVE])));
    await expect(run(entry({ path: 'a/../../escape', type: 'file' }, 'x'))).rejects.toMatchObject({ code: 'unsafe_archive' });
    await expect(run(entry({ path: 'a', type: 'file' }, 'x'))).rejects.toThrow(/would replace its destination/);
    await expect(
      run(entry({ path: 'a/link', type: 'symlink', linkTarget: dir }), entry({ path: 'a/link/escape', type: 'file' }, 'x')),
    ).rejects.toThrow(/through the symlink/);
    expect(existsSync(path.join(dir, 'escape'))).toBe(false);
  });
});

describe('files are written on a thread of their own', () => {
  it('fails with the error the system gave (a name already there) and writes nothing after it', async () => {
    const a = path.join(dir, 'stage-a');
    mkdirSync(a);
    writeFileSync(path.join(a, 'taken'), 'keep');
    const later = Array.from({ length: 50 }, (_, i) => entry({ path: `a/later-${i}`, type: 'file' }, 'x'.repeat(10_000)));
    const extractor = new TarExtractor(dest, { route: (parts) => ({ root: a, parts: parts.slice(1) }) });
    await expect(
      extractor.extract(
        fromBuffers(
          Buffer.concat([
            entry({ path: 'a/first', type: 'file' }, 'first'),
            entry({ path: 'a/taken', type: 'file' }, 'replaced'),
            ...later,
            END_OF_ARCHIVE,
          ]),
        ),
      ),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(path.join(a, 'taken'), 'utf8')).toBe('keep');
    expect(readFileSync(path.join(a, 'first'), 'utf8')).toBe('first');
    expect(readdirSync(a).sort()).toEqual(['first', 'taken']);
  });

  it('ends the stream it reads when it fails, so the stream can close its source', async () => {
    let closed = false;
    async function* tracked(): AsyncGenerator<Buffer> {
      try {
        yield entry({ path: 'ok', type: 'file' }, 'fine');
        yield entry({ path: '../escape', type: 'file' }, 'x');
        yield END_OF_ARCHIVE;
      } finally {
        closed = true;
      }
    }
    await expect(new TarExtractor(dest).extract(tracked())).rejects.toMatchObject({ code: 'unsafe_archive' });
    expect(closed).toBe(true);
  });

  it('has stopped writing when a cancelled extraction returns', async () => {
    const abort = new AbortController();
    const files = Array.from({ length: 200 }, (_, i) => entry({ path: `f-${i}`, type: 'file' }, 'y'.repeat(50_000)));
    const extractor = new TarExtractor(dest, {
      signal: abort.signal,
      onProgress: ({ files: done }) => {
        if (done === 20) abort.abort(new Error('cancelled by the test'));
      },
    });
    await expect(extractor.extract(fromBuffers(Buffer.concat([...files, END_OF_ARCHIVE])))).rejects.toThrow(
      /cancelled by the test/,
    );
    const written = readdirSync(dest).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(21);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(dest).length).toBe(written);
  });
});
