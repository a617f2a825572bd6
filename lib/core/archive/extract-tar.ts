import { chmodSync, chownSync, lchownSync, lstatSync, lutimesSync, mkdirSync, symlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { ByteQueue, fill } from './byte-queue';
import { FileWriterThread } from './file-writer-thread';
import { BLOCK, decodeTarHeader, isZeroBlock, paddingFor, parsePaxRecords, parsePaxTime, type RawHeader } from './tar-header';

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { files: number; bytes: number; currentPath: string }) => void;
  /** Restore owners (only root can); by default when running as root. */
  restoreOwners?: boolean;
  /** Check the whole stream (names, types, sizes) without writing anything. */
  dryRun?: boolean;
  /**
   * Where each entry goes, for a restore that writes several staging directories at once:
   * given the entry's checked name components, a `root` (an existing, empty directory the
   * caller created) and the components below it, or null to read the entry without writing
   * it. `parts` may be empty only for a directory entry: it then describes `root` itself.
   * Without a route every entry goes below `dest`.
   */
  route?: (parts: string[]) => { root: string; parts: string[] } | null;
}

export interface ExtractResult {
  files: number;
  directories: number;
  symlinks: number;
  bytes: number;
}

const MAX_PAX_BYTES = 1024 * 1024;
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

function unsafe(detail: string): AppError {
  return new AppError('unsafe_archive', `The archive contains an unsafe entry and was not extracted: ${detail}.`);
}

function damaged(detail: string): AppError {
  return new AppError('corrupted', `The backup's file list is damaged: ${detail}.`);
}

/** Validates an entry name and returns its components; refuses absolute paths and "..". */
export function safeComponents(name: string): string[] {
  if (name.includes('\0')) throw unsafe(`a name contains a NUL byte`);
  if (name.startsWith('/')) throw unsafe(`absolute path "${name}"`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw unsafe(`path "${name}" leaves the destination`);
  if (parts.length === 0) throw unsafe(`empty path "${name}"`);
  return parts;
}

/**
 * Extracts a tar stream below `dest` (which must exist and be empty: a fresh staging
 * directory). Writes only below `dest`: refuses absolute names, "..", any entry whose parent
 * is (or would be reached through) a symlink, duplicates, hard links and device files.
 * Symlinks are created verbatim, wherever they point. Directory modes and mtimes are applied
 * last, deepest first, so restrictive modes and child writes do not interfere.
 */
export class TarExtractor {
  readonly result: ExtractResult = { files: 0, directories: 0, symlinks: 0, bytes: 0 };
  private readonly realDirs = new Set<string>();
  private readonly created = new Set<string>();
  private readonly symlinkPaths = new Set<string>();
  private readonly directoryMeta: { full: string; header: RawHeader }[] = [];
  private readonly restoreOwners: boolean;
  private writer: FileWriterThread | null = null;

  private readonly dest: string;

  constructor(
    dest: string,
    private readonly options: ExtractOptions = {},
  ) {
    // Absolute, so the paths compared in the sets below are spelled one way only.
    this.dest = path.resolve(dest);
    this.restoreOwners = options.restoreOwners ?? IS_ROOT;
    this.realDirs.add(this.dest);
  }

  async extract(tar: AsyncIterable<Uint8Array>): Promise<ExtractResult> {
    const stream = tar[Symbol.asyncIterator]();
    // Before the parser waits for more, the file data it found so far goes to the writer.
    const source: AsyncIterator<Uint8Array> = {
      next: () => {
        this.writer?.flush();
        return stream.next();
      },
    };
    try {
      return await this.extractFrom(source);
    } catch (error) {
      await this.writer?.stop();
      throw error;
    } finally {
      // Stopped early (an error, a cancel), the stream still closes what it reads from.
      await stream.return?.();
    }
  }

  private async extractFrom(source: AsyncIterator<Uint8Array>): Promise<ExtractResult> {
    const queue = new ByteQueue();
    let pax = new Map<string, string>();
    for (;;) {
      if (this.options.signal?.aborted) throw this.options.signal.reason ?? new AppError('cancelled', 'Cancelled.');
      if (!(await fill(queue, source, BLOCK))) throw damaged('it ends without the end-of-archive marker');
      const block = queue.take(BLOCK);
      if (isZeroBlock(block)) break;
      const raw = decodeTarHeader(block);
      if (raw.typeflag === 'x') {
        if (raw.size > MAX_PAX_BYTES) throw damaged('an extended header is too large');
        if (!(await fill(queue, source, raw.size + paddingFor(raw.size)))) throw damaged('it ends inside an extended header');
        pax = parsePaxRecords(Buffer.from(queue.take(raw.size)));
        queue.take(paddingFor(raw.size));
        continue;
      }
      const header = applyPax(raw, pax);
      pax = new Map();
      await this.extractEntry(header, queue, source);
    }
    // The rest of the stream may only be zero padding.
    for (;;) {
      if (queue.length > 0 && !isZeroBlock(queue.take(queue.length)))
        throw damaged('there is data after the end-of-archive marker');
      if (!(await fill(queue, source, 1))) break;
    }
    // Every file is written and closed before directories get their final modes and mtimes.
    await this.writer?.finish();
    await this.applyDirectoryMetadata();
    return this.result;
  }

  private async extractEntry(header: RawHeader, queue: ByteQueue, source: AsyncIterator<Uint8Array>): Promise<void> {
    const checked = safeComponents(header.name);
    const routed = this.options.route ? this.options.route(checked) : { root: this.dest, parts: checked };
    if (!routed) {
      // Not wanted here, but read through (and authenticated by the decryptor) all the same.
      if (header.typeflag === '0' || header.typeflag === '\0') await this.skipFile(header, queue, source, false);
      return;
    }
    const root = path.resolve(routed.root);
    const parts = routed.parts.length > 0 ? safeComponents(routed.parts.join('/')) : [];
    if (parts.length === 0 && header.typeflag !== '5') throw unsafe(`"${header.name}" would replace its destination`);
    this.realDirs.add(root);
    const full = path.join(root, ...parts);
    if (this.created.has(full)) throw unsafe(`"${header.name}" appears twice`);
    await this.ensureParents(root, parts);
    const write = !this.options.dryRun;
    switch (header.typeflag) {
      case '5':
        // A directory may already exist when an earlier entry needed it as a parent.
        if (write && !this.realDirs.has(full)) mkdirSync(full, { mode: 0o700 });
        this.realDirs.add(full);
        this.directoryMeta.push({ full, header });
        this.result.directories += 1;
        break;
      case '2':
        if (this.realDirs.has(full)) throw unsafe(`"${header.name}" is both a directory and a symlink`);
        this.symlinkPaths.add(full);
        if (write) {
          symlinkSync(header.linkname, full);
          if (this.restoreOwners) ignoreEperm(() => lchownSync(full, header.uid, header.gid));
          lutimesSync(full, header.mtimeSeconds, header.mtimeSeconds);
        }
        this.result.symlinks += 1;
        break;
      case '0':
      case '\0':
        await this.writeFile(full, header, queue, source);
        this.result.files += 1;
        break;
      case '1':
        throw unsafe(`hard link "${header.name}" (not produced by Cloud OS Backups)`);
      case '3':
      case '4':
      case '6':
        throw unsafe(`device or FIFO "${header.name}"`);
      default:
        throw damaged(`entry "${header.name}" has unknown type "${header.typeflag}"`);
    }
    this.created.add(full);
    this.options.onProgress?.({ files: this.result.files, bytes: this.result.bytes, currentPath: header.name });
  }

  /** Makes sure every parent of the entry is a real directory below dest (never a symlink). */
  private async ensureParents(root: string, parts: string[]): Promise<void> {
    let current = root;
    for (const part of parts.slice(0, -1)) {
      current = path.join(current, part);
      if (this.realDirs.has(current)) continue;
      if (this.symlinkPaths.has(current))
        throw unsafe(`an entry would be written through the symlink "${path.relative(root, current)}"`);
      if (this.created.has(current)) throw unsafe(`"${path.relative(root, current)}" is not a directory`);
      if (this.options.dryRun) {
        this.realDirs.add(current);
        continue;
      }
      const stats = lstatOrNull(current);
      if (stats?.isSymbolicLink())
        throw unsafe(`an entry would be written through the symlink "${path.relative(root, current)}"`);
      if (stats && !stats.isDirectory()) throw unsafe(`"${path.relative(root, current)}" is not a directory`);
      if (!stats) mkdirSync(current, { mode: 0o755 });
      this.realDirs.add(current);
    }
  }

  private async writeFile(full: string, header: RawHeader, queue: ByteQueue, source: AsyncIterator<Uint8Array>): Promise<void> {
    if (this.options.dryRun) {
      await this.skipFile(header, queue, source);
      return;
    }
    // Started with the first file, once the key derivation's memory is given back.
    this.writer ??= new FileWriterThread();
    const writer = this.writer;
    // The writer creates it with O_EXCL | O_NOFOLLOW: never replacing or writing through
    // anything already there.
    writer.open(full);
    let left = header.size;
    while (left > 0) {
      const piece = await takeUpTo(queue, source, left);
      if (!piece) throw damaged(`it ends inside "${header.name}"`);
      await writer.write(piece);
      left -= piece.length;
      this.result.bytes += piece.length;
    }
    writer.close({
      mode: header.mode & 0o7777,
      mtimeSeconds: header.mtimeSeconds,
      owner: this.restoreOwners ? { uid: header.uid, gid: header.gid } : null,
    });
    const pad = paddingFor(header.size);
    if (!(await fill(queue, source, pad))) throw damaged(`it ends inside "${header.name}"`);
    queue.take(pad);
  }

  private async skipFile(header: RawHeader, queue: ByteQueue, source: AsyncIterator<Uint8Array>, count = true): Promise<void> {
    let left = header.size + paddingFor(header.size);
    while (left > 0) {
      const piece = await takeUpTo(queue, source, left);
      if (!piece) throw damaged(`it ends inside "${header.name}"`);
      left -= piece.length;
    }
    if (count) this.result.bytes += header.size;
  }

  private async applyDirectoryMetadata(): Promise<void> {
    if (this.options.dryRun) return;
    for (const { full, header } of this.directoryMeta.reverse()) {
      if (this.restoreOwners) ignoreEperm(() => chownSync(full, header.uid, header.gid));
      chmodSync(full, header.mode & 0o7777);
      utimesSync(full, header.mtimeSeconds, header.mtimeSeconds);
    }
  }
}

/**
 * Up to `max` bytes of file data (at least one), or null when the stream ended. Queued bytes
 * come first; with nothing queued, the data is taken straight from the next piece of the
 * stream and only what follows it is queued: most file bytes are never copied.
 */
async function takeUpTo(queue: ByteQueue, source: AsyncIterator<Uint8Array>, max: number): Promise<Uint8Array | null> {
  if (queue.length > 0) return queue.take(Math.min(max, queue.length));
  for (;;) {
    const next = await source.next();
    if (next.done) return null;
    const piece = next.value;
    if (piece.length === 0) continue;
    if (piece.length > max) queue.push(piece.subarray(max));
    return piece.subarray(0, Math.min(max, piece.length));
  }
}

function lstatOrNull(target: string) {
  try {
    return lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Owners are restored when we may; a non-root restore keeps the current user's. */
function ignoreEperm(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
}

function applyPax(raw: RawHeader, pax: Map<string, string>): RawHeader {
  if (pax.size === 0) return raw;
  const number = (key: string, fallback: number) => {
    const value = pax.get(key);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw damaged(`pax ${key} "${value}" is not a number`);
    return n;
  };
  return {
    ...raw,
    name: pax.get('path') ?? raw.name,
    linkname: pax.get('linkpath') ?? raw.linkname,
    size: number('size', raw.size),
    uid: number('uid', raw.uid),
    gid: number('gid', raw.gid),
    mtimeSeconds: pax.has('mtime') ? parsePaxTime(pax.get('mtime') ?? '') : raw.mtimeSeconds,
  };
}
