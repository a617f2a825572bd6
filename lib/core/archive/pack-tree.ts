import { type BigIntStats, closeSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { END_OF_ARCHIVE, encodeTarHeader, paddingFor, type TarEntry } from './tar-header';

const READ_SIZE = 1024 * 1024;

export interface PackProgress {
  files: number;
  bytes: number;
  currentPath: string;
}

export interface PackOptions {
  signal?: AbortSignal;
  /** Called after each entry (throttle in the caller). */
  onProgress?: (progress: PackProgress) => void;
  /** Things skipped or adjusted, e.g. sockets, files that changed while read. */
  onWarning?: (message: string) => void;
  /** Path prefix inside the tar (e.g. `apps/photos/volumes/data`). */
  prefix?: string;
}

export interface PackResult {
  files: number;
  directories: number;
  symlinks: number;
  bytes: number;
}

function entryOf(relPath: string, stats: BigIntStats, type: TarEntry['type'], linkTarget?: string): TarEntry {
  return {
    path: relPath,
    type,
    mode: Number(stats.mode) & 0o7777,
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    size: type === 'file' ? Number(stats.size) : 0,
    mtimeNs: stats.mtimeNs,
    linkTarget,
  };
}

/**
 * Streams a directory tree as a tar archive: directories (also empty), regular files,
 * symlinks as links (never followed), with modes, owners and mtimes. Names are sorted, so the
 * same tree always gives the same stream. Sockets, FIFOs and devices are skipped with a
 * warning. A file that grows or shrinks while read is cut or zero-padded to the size in its
 * header, and reported.
 */
export class TreePacker {
  readonly result: PackResult = { files: 0, directories: 0, symlinks: 0, bytes: 0 };
  private readBuffer = Buffer.allocUnsafe(READ_SIZE);

  constructor(private readonly options: PackOptions = {}) {}

  async *pack(sourceDir: string): AsyncGenerator<Buffer> {
    await assertDirectory(sourceDir);
    yield* this.walk(sourceDir, this.options.prefix ?? '');
    yield END_OF_ARCHIVE;
  }

  /**
   * The entries of a directory tree under `prefix`, starting with the directory itself (its
   * mode, owner and time matter: a database's data directory is often 0700), without the end
   * marker: several trees and files make one archive, closed with `end()`.
   */
  async *tree(sourceDir: string, prefix: string): AsyncGenerator<Buffer> {
    await assertDirectory(sourceDir);
    const stats = lstatSync(sourceDir, { bigint: true });
    this.result.directories += 1;
    yield encodeTarHeader(entryOf(prefix, stats, 'directory'));
    yield* this.walk(sourceDir, prefix);
  }

  /** One regular file stored as `relPath`. */
  *file(fullPath: string, relPath: string): Generator<Buffer> {
    yield* this.fileEntry(fullPath, relPath);
    this.options.onProgress?.({ files: this.result.files, bytes: this.result.bytes, currentPath: relPath });
  }

  /** A file made up by the caller (a manifest), owned by the current user, mode 0600. */
  *generated(relPath: string, data: Buffer): Generator<Buffer> {
    const now = BigInt(Date.now()) * 1_000_000n;
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    yield encodeTarHeader({ path: relPath, type: 'file', mode: 0o600, uid, gid, size: data.length, mtimeNs: now });
    yield data;
    const pad = paddingFor(data.length);
    if (pad > 0) yield Buffer.alloc(pad);
    this.result.files += 1;
    this.result.bytes += data.length;
  }

  /** A directory entry made up by the caller, mode 0755. */
  *directory(relPath: string): Generator<Buffer> {
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    this.result.directories += 1;
    yield encodeTarHeader({
      path: relPath,
      type: 'directory',
      mode: 0o755,
      uid,
      gid,
      size: 0,
      mtimeNs: BigInt(Date.now()) * 1_000_000n,
    });
  }

  end(): Buffer {
    return END_OF_ARCHIVE;
  }

  // Synchronous, like all its file system calls: a generator per directory level would
  // otherwise cost an async step (a promise and a microtask) for every piece at every level.
  private *walk(dir: string, relDir: string): Generator<Buffer> {
    const names = readdirSync(dir).sort();
    for (const name of names) {
      if (this.options.signal?.aborted) throw this.options.signal.reason ?? new AppError('cancelled', 'Cancelled.');
      const full = path.join(dir, name);
      const rel = relDir ? `${relDir}/${name}` : name;
      const stats = lstatOrNull(full);
      if (!stats) {
        this.options.onWarning?.(`Skipped ${rel}: it was deleted while the backup ran.`);
        continue;
      }
      if (stats.isDirectory()) {
        this.result.directories += 1;
        yield encodeTarHeader(entryOf(rel, stats, 'directory'));
        yield* this.walk(full, rel);
      } else if (stats.isSymbolicLink()) {
        this.result.symlinks += 1;
        yield encodeTarHeader(entryOf(rel, stats, 'symlink', readlinkSync(full)));
      } else if (stats.isFile()) {
        yield* this.fileEntry(full, rel, stats);
      } else {
        this.options.onWarning?.(`Skipped ${rel}: not a regular file, directory or symlink (socket, FIFO or device).`);
        continue;
      }
      this.options.onProgress?.({ files: this.result.files, bytes: this.result.bytes, currentPath: rel });
    }
  }

  /**
   * Yields exactly `size` bytes plus padding. The read buffer is reused: consumers copy.
   * Reads are synchronous on purpose: async reads queue on libuv's thread pool behind the
   * compression jobs (milliseconds each), which starved the pipeline on trees of many small
   * files; a read from the page cache is a memcpy, and this thread has nothing else to do.
   */
  private *fileEntry(full: string, rel: string, known?: BigIntStats): Generator<Buffer> {
    // Opened before the header is written: a file deleted meanwhile is skipped, not stored as zeros.
    let fd: number;
    try {
      fd = openSync(full, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.options.onWarning?.(`Skipped ${rel}: it was deleted while the backup ran.`);
      return;
    }
    try {
      const stats = known ?? fstatSync(fd, { bigint: true });
      yield encodeTarHeader(entryOf(rel, stats, 'file'));
      yield* this.fileData(fd, rel, Number(stats.size));
    } finally {
      closeSync(fd);
    }
    this.result.files += 1;
  }

  private *fileData(fd: number, rel: string, size: number): Generator<Buffer> {
    let done = 0;
    while (done < size) {
      const want = Math.min(READ_SIZE, size - done);
      const bytesRead = readSync(fd, this.readBuffer, 0, want, done);
      if (bytesRead === 0) {
        this.options.onWarning?.(`${rel} shrank while it was read; the missing ${size - done} bytes are stored as zeros.`);
        yield* zeros(size - done);
        done = size;
        break;
      }
      done += bytesRead;
      this.result.bytes += bytesRead;
      yield this.readBuffer.subarray(0, bytesRead);
    }
    if (readSync(fd, this.readBuffer, 0, 1, size) > 0)
      this.options.onWarning?.(`${rel} grew while it was read; stored its first ${size} bytes.`);
    const pad = paddingFor(size);
    if (pad > 0) yield ZERO_BLOCK.subarray(0, pad);
  }
}

// Padding for every file; consumers copy what they are given and never write into it.
const ZERO_BLOCK = Buffer.alloc(512);

function lstatOrNull(full: string): BigIntStats | null {
  try {
    return lstatSync(full, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function assertDirectory(sourceDir: string): Promise<void> {
  const root = await lstat(sourceDir).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('invalid_input', `Cannot read the source ${sourceDir}: ${error.code ?? error.message}`);
  });
  if (!root.isDirectory()) throw new AppError('invalid_input', `The source ${sourceDir} is not a directory.`);
}

function* zeros(count: number): Generator<Buffer> {
  const block = Buffer.alloc(Math.min(count, READ_SIZE));
  for (let left = count; left > 0; left -= block.length) yield left >= block.length ? block : block.subarray(0, left);
}
