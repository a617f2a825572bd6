import { createDecipheriv, createHash } from 'node:crypto';
import { type KeyFile, tryOpenKeyFile } from '../crypto/key-file';
import { AppError } from '../errors';
import { releaseDeadBuffers } from '../util/release-buffers';
import { ByteQueue, type DirectReader, fill, isDirectReader } from './byte-queue';
import { decompressChunk } from './compression';
import { CIPHER_SLICE } from './encrypt-archive';
import {
  type ArchiveHeader,
  chunkNonce,
  corrupted,
  deriveArchiveKeys,
  FLAG_FINAL,
  FRAME_HEADER_BYTES,
  HEADER_MAC_BYTES,
  PREAMBLE_BYTES,
  parseHeaderJson,
  parsePreamble,
  unwrapFileKey,
  verifyHeaderMac,
} from './format';

const RELEASE_EVERY_CHUNKS = 4n;

export interface DecryptOptions {
  /** Opens the archive's own key copy, or one of `keyFiles`. */
  passphrase?: string;
  /** Key files of this instance or target (after a passphrase change, the new one). */
  keyFiles?: KeyFile[];
  /** Already unlocked master keys (the server keeps its own; tests skip Argon2). */
  masterKeys?: Buffer[];
  signal?: AbortSignal;
  parallelism?: number;
}

export interface DecryptedArchiveInfo {
  header: ArchiveHeader;
  storedBytes: number;
  plainBytes: number;
  chunks: number;
  sha256: string;
}

async function resolveMasterKey(header: ArchiveHeader, options: DecryptOptions): Promise<Buffer> {
  for (const key of options.masterKeys ?? []) if (unwrapFileKey(key, header)) return key;
  if (options.passphrase !== undefined) {
    const candidates = [...(options.keyFiles ?? []).filter((k) => k.keyId === header.masterKey.keyId), header.masterKey];
    for (const keyFile of candidates) {
      const key = await tryOpenKeyFile(keyFile, options.passphrase);
      if (key) return key;
    }
    const given = options.keyFiles?.length ?? 0;
    const matching = candidates.length - 1;
    throw new AppError(
      'wrong_passphrase',
      given === 0
        ? 'Wrong passphrase: it does not open this archive (it opens with the passphrase it was made with, or with a later one through its key file).'
        : matching === 0
          ? `Wrong passphrase: it does not open this archive's own key copy, and none of the ${given} key file(s) given holds its key (${header.masterKey.keyId}).`
          : `Wrong passphrase: it opens neither this archive's own key copy nor its key file (${header.masterKey.keyId}).`,
    );
  }
  throw new AppError('wrong_passphrase', 'No key opens this archive: give the backup passphrase it was made with.');
}

/**
 * Reads a stored archive and yields its plaintext, one authenticated chunk at a time: a
 * chunk's bytes are released only after its tag verified. Fails (AppError `corrupted`) on a
 * damaged or spliced header, any changed bit, dropped / duplicated / reordered chunks, a
 * missing final chunk and bytes after it. `info` is set once the whole archive was read.
 */
export class ArchiveDecryptor {
  info: DecryptedArchiveInfo | null = null;
  header: ArchiveHeader | null = null;

  constructor(private readonly options: DecryptOptions) {}

  async *decrypt(stored: AsyncIterable<Uint8Array> | DirectReader): AsyncGenerator<Buffer> {
    // A file is read straight into the queue; other sources (network bodies) are copied in.
    const direct = isDirectReader(stored) ? stored : null;
    const source = direct ? null : (stored as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    try {
      yield* this.decryptFrom(direct, source);
    } finally {
      // A failure or an early stop ends the source too: it closes its file or connection now,
      // not when garbage collection finds it.
      await source?.return?.();
    }
  }

  private async *decryptFrom(direct: DirectReader | null, source: AsyncIterator<Uint8Array> | null): AsyncGenerator<Buffer> {
    const { signal } = this.options;
    const parallelism = this.options.parallelism ?? 2;
    const queue = new ByteQueue();
    const need = async (n: number) => (direct ? queue.fillFrom(direct, n) : fill(queue, source as AsyncIterator<Uint8Array>, n));
    // Hashed here, not on the hashing thread archive create uses (OffThreadSha256): extract's
    // peak memory is the stream's, and that thread added 3–13 MiB to it (150 MiB is the goal).
    const hash = createHash('sha256');
    let storedBytes = 0;
    // Views from the queue live until its next push: header parts are copied.
    const take = (n: number) => {
      const piece = queue.take(n);
      hash.update(piece);
      storedBytes += n;
      return piece;
    };

    if (!(await need(PREAMBLE_BYTES))) throw corrupted('the file ends inside its header');
    const preamble = Buffer.from(take(PREAMBLE_BYTES));
    const headerLength = parsePreamble(preamble);
    if (!(await need(headerLength + HEADER_MAC_BYTES))) throw corrupted('the file ends inside its header');
    const json = Buffer.from(take(headerLength));
    const mac = Buffer.from(take(HEADER_MAC_BYTES));
    const header = parseHeaderJson(json);
    const masterKey = await resolveMasterKey(header, this.options);
    const fileKey = unwrapFileKey(masterKey, header);
    if (!fileKey) throw corrupted('the file key does not unwrap');
    const { headerKey, payloadKey } = deriveArchiveKeys(fileKey, header.archiveId);
    if (!verifyHeaderMac(headerKey, Buffer.concat([preamble, json]), mac)) throw corrupted('the header failed authentication');
    this.header = header;

    const maxFrame = 1 + header.chunkSize + 16;
    const pending: Promise<Buffer>[] = [];
    let index = 0n;
    let plainBytes = 0;
    let sawFinal = false;
    while (!sawFinal) {
      if (signal?.aborted) throw signal.reason ?? new AppError('cancelled', 'Cancelled.');
      if (!(await need(FRAME_HEADER_BYTES))) {
        throw corrupted(
          queue.length === 0
            ? `it ends after chunk ${index} without its final chunk (truncated)`
            : `it ends inside chunk ${index}`,
        );
      }
      const frameHeader = take(FRAME_HEADER_BYTES);
      const flags = frameHeader[0] ?? 0;
      const length = frameHeader.readUInt32BE(1);
      if ((flags & ~FLAG_FINAL) !== 0 || length < 17 || length > maxFrame)
        throw corrupted(`chunk ${index} has an invalid frame header`);
      if (!(await need(length))) throw corrupted(`it ends inside chunk ${index} (truncated)`);
      const sealed = take(length);
      sawFinal = (flags & FLAG_FINAL) !== 0;
      const opened = this.open(payloadKey, mac, sealed, index, sawFinal);
      const codec = opened[0] ?? 0;
      const chunkIndex = index;
      const isFinal = sawFinal;
      const decompressed = decompressChunk(codec, opened.subarray(1), header.chunkSize, chunkIndex).then((plain) => {
        // Only the final chunk may be short: chunk boundaries are fixed in the plaintext.
        if (!isFinal && plain.length !== header.chunkSize) throw corrupted(`chunk ${chunkIndex} is shorter than the chunk size`);
        return plain;
      });
      decompressed.catch(() => {});
      pending.push(decompressed);
      index += 1n;
      if (index % RELEASE_EVERY_CHUNKS === 0n) releaseDeadBuffers();
      while (pending.length > parallelism) {
        const plain = await (pending.shift() as Promise<Buffer>);
        plainBytes += plain.length;
        yield plain;
      }
    }
    // Every byte after the final chunk is an error: nothing may be appended unnoticed.
    if (queue.length > 0 || (await need(1))) throw corrupted('there are bytes after the final chunk');
    while (pending.length > 0) {
      const plain = await (pending.shift() as Promise<Buffer>);
      plainBytes += plain.length;
      yield plain;
    }
    this.info = { header, storedBytes, plainBytes, chunks: Number(index), sha256: hash.digest('hex') };
  }

  private open(payloadKey: Buffer, mac: Buffer, sealed: Buffer, index: bigint, final: boolean): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', payloadKey, chunkNonce(index, final), { authTagLength: 16 });
    decipher.setAAD(mac);
    const bodyLength = sealed.length - 16;
    decipher.setAuthTag(sealed.subarray(bodyLength));
    // One output buffer per chunk, filled slice by slice (see CIPHER_SLICE in encrypt-archive).
    const plain = Buffer.allocUnsafe(bodyLength);
    let at = 0;
    for (let offset = 0; offset < bodyLength; offset += CIPHER_SLICE) {
      at += decipher.update(sealed.subarray(offset, Math.min(offset + CIPHER_SLICE, bodyLength))).copy(plain, at);
    }
    try {
      at += decipher.final().copy(plain, at);
    } catch {
      throw corrupted(`chunk ${index} failed authentication (changed, missing, duplicated or out of order)`);
    }
    return plain.subarray(0, at);
  }
}
