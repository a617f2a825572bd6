import type { DirectReader } from '@/lib/core/archive/byte-queue';
import { ArchiveDecryptor, type DecryptOptions } from '@/lib/core/archive/decrypt-archive';
import { ArchiveEncryptor, type EncryptOptions } from '@/lib/core/archive/encrypt-archive';

export async function* fromBuffers(...buffers: Buffer[]): AsyncGenerator<Buffer> {
  for (const b of buffers) yield b;
}

/**
 * `bytes` as a file-like source the decryptor reads straight into its queue, at most
 * `maxRead` bytes per call (a file may return less than asked).
 */
export function directReader(bytes: Buffer, maxRead = 777): DirectReader {
  let at = 0;
  return {
    readInto(target, offset, length) {
      const count = Math.min(length, maxRead, bytes.length - at);
      bytes.copy(target, offset, at, at + count);
      at += count;
      return count;
    },
  };
}

/** Encrypts `plain` (fed in pieces of `pieceSize`) and returns the stored bytes and stats. */
export async function sealBytes(plain: Buffer, options: EncryptOptions, pieceSize = 1000) {
  const encryptor = new ArchiveEncryptor(options);
  const pieces: Buffer[] = [];
  for (let i = 0; i < plain.length; i += pieceSize) pieces.push(plain.subarray(i, i + pieceSize));
  const out: Buffer[] = [];
  // The encryptor reuses its output buffer: copy each piece.
  for await (const b of encryptor.encrypt(fromBuffers(...pieces))) out.push(Buffer.from(b));
  if (!encryptor.stats) throw new Error('no stats');
  return { stored: Buffer.concat(out), stats: encryptor.stats };
}

/** Decrypts stored bytes (fed in pieces of `pieceSize`) into one buffer. */
export async function openBytes(stored: Buffer, options: DecryptOptions, pieceSize = 777) {
  const decryptor = new ArchiveDecryptor(options);
  const pieces: Buffer[] = [];
  for (let i = 0; i < stored.length; i += pieceSize) pieces.push(stored.subarray(i, i + pieceSize));
  const out: Buffer[] = [];
  for await (const b of decryptor.decrypt(fromBuffers(...pieces))) out.push(b);
  return { plain: Buffer.concat(out), info: decryptor.info };
}
