import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync } from 'node:fs';
import { link, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { KeyFile } from '../crypto/key-file';
import { AppError } from '../errors';
import { BackgroundFlush } from '../util/background-flush';
import { fsyncDir } from '../util/fsync-dir';
import type { DirectReader } from './byte-queue';
import { ArchiveDecryptor, type DecryptedArchiveInfo, type DecryptOptions } from './decrypt-archive';
import { ArchiveEncryptor, type ArchiveStats } from './encrypt-archive';
import { type ExtractResult, TarExtractor } from './extract-tar';
import { type PackResult, TreePacker } from './pack-tree';

export interface CreateArchiveFileOptions {
  sourceDir: string;
  outFile: string;
  masterKey: Buffer;
  keyFile: KeyFile;
  chunkSize?: number;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

/**
 * Archives a directory into a file. The file appears under its name only when complete
 * (written as a hidden temporary, fsynced, renamed), so an interrupted run never leaves
 * something that looks like an archive.
 */
export async function createArchiveFile(options: CreateArchiveFileOptions): Promise<{ stats: ArchiveStats; pack: PackResult }> {
  const outFile = path.resolve(options.outFile);
  const alreadyThere = () => new AppError('conflict', `${outFile} already exists; choose another name.`);
  if (await stat(outFile).catch(() => null)) throw alreadyThere();
  if (!path.relative(path.resolve(options.sourceDir), outFile).startsWith('..')) {
    throw new AppError(
      'invalid_input',
      'The archive cannot be written inside the directory it archives; choose an output outside the source.',
    );
  }
  const partial = path.join(path.dirname(outFile), `.${path.basename(outFile)}.partial-${randomBytes(4).toString('hex')}`);
  const packer = new TreePacker({ signal: options.signal, onWarning: options.onWarning });
  const encryptor = new ArchiveEncryptor({
    masterKey: options.masterKey,
    keyFile: options.keyFile,
    chunkSize: options.chunkSize,
    signal: options.signal,
  });
  // The hashing thread writes the file (see encryptToFile), synchronously: async writes would
  // queue on the thread pool behind compression jobs.
  const fd = openSync(partial, 'wx', 0o600);
  const flush = new BackgroundFlush(fd);
  let fdOpen = true;
  try {
    await encryptor.encryptToFile(packer.pack(options.sourceDir), fd, (bytes) => flush.wrote(bytes));
    await flush.settle();
    fsyncSync(fd);
    closeSync(fd);
    fdOpen = false;
    // link() refuses to replace a file that appeared meanwhile; rename() would overwrite it.
    await link(partial, outFile).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EEXIST' ? alreadyThere() : error;
    });
    await rm(partial);
    await fsyncDir(path.dirname(outFile));
  } catch (error) {
    await flush.settle();
    if (fdOpen) closeSync(fd);
    await rm(partial, { force: true });
    throw error;
  }
  if (!encryptor.stats) throw new AppError('internal', 'The archive writer did not finish.');
  return { stats: encryptor.stats, pack: packer.result };
}

export interface ReadArchiveFileOptions extends DecryptOptions {
  file: string;
}

/**
 * The stored file, read straight into the decryptor's queue. Synchronous reads, for the reason
 * given in pack-tree.ts (async reads wait on the thread pool behind decompression).
 */
class StoredFile implements DirectReader {
  private readonly fd: number;

  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }

  readInto(target: Buffer, offset: number, length: number): number {
    return readSync(this.fd, target, offset, length, null);
  }

  close(): void {
    closeSync(this.fd);
  }
}

async function withStoredFile<T>(file: string, use: (stored: StoredFile) => Promise<T>): Promise<T> {
  const stored = new StoredFile(file);
  try {
    return await use(stored);
  } finally {
    stored.close();
  }
}

async function assertReadable(file: string): Promise<void> {
  const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('not_found', `Cannot read ${file}: ${error.code ?? error.message}`);
  });
  if (!stats.isFile()) throw new AppError('invalid_input', `${file} is not a file.`);
}

/** Reads and authenticates the whole archive and its file list without writing anything. */
export async function verifyArchiveFile(
  options: ReadArchiveFileOptions,
): Promise<{ info: DecryptedArchiveInfo; contents: ExtractResult }> {
  await assertReadable(options.file);
  const decryptor = new ArchiveDecryptor(options);
  const contents = await withStoredFile(options.file, (stored) =>
    new TarExtractor('/nonexistent-dry-run', { dryRun: true, signal: options.signal }).extract(decryptor.decrypt(stored)),
  );
  if (!decryptor.info) throw new AppError('internal', 'The archive reader did not finish.');
  return { info: decryptor.info, contents };
}

/**
 * Extracts an archive into `destDir`, which must not exist or be empty. Everything is written
 * into a staging directory beside it and moved into place only after every chunk verified and
 * the file list ended cleanly; on any failure the staging directory is removed and `destDir`
 * is untouched.
 */
export async function extractArchiveFile(
  options: ReadArchiveFileOptions & { destDir: string },
): Promise<{ info: DecryptedArchiveInfo; contents: ExtractResult }> {
  await assertReadable(options.file);
  const dest = path.resolve(options.destDir);
  const existing = await readdir(dest).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new AppError('invalid_input', `Cannot use ${dest} as the destination: ${error.code ?? error.message}`);
  });
  if (existing && existing.length > 0)
    throw new AppError('conflict', `The destination ${dest} is not empty; extract into a new or empty directory.`);
  await mkdir(path.dirname(dest), { recursive: true });
  const staging = path.join(path.dirname(dest), `.${path.basename(dest)}.staging-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    const decryptor = new ArchiveDecryptor(options);
    const contents = await withStoredFile(options.file, (stored) =>
      new TarExtractor(staging, { signal: options.signal }).extract(decryptor.decrypt(stored)),
    );
    if (!decryptor.info) throw new AppError('internal', 'The archive reader did not finish.');
    if (existing) await rmdir(dest);
    await rename(staging, dest);
    return { info: decryptor.info, contents };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
