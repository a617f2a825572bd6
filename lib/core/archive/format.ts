import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { KEY_BYTES, unwrapBytes, wrapBytes } from '../crypto/aead';
import { type KeyFile, keyFileSchema } from '../crypto/key-file';
import { AppError } from '../errors';

// The byte layout is specified in docs/FORMAT.md; change nothing here without a new version.
export const MAGIC = Buffer.from('CLOUDOSB', 'ascii');
export const FORMAT_VERSION = 1;
export const PREAMBLE_BYTES = MAGIC.length + 2 + 4; // magic, u16 version, u32 header length
export const MAX_HEADER_BYTES = 64 * 1024;
export const HEADER_MAC_BYTES = 32;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/** Readers accept chunk sizes in this range; tests write tiny chunks to make loops exhaustive. */
export const CHUNK_SIZE_LIMITS = { min: 16, max: 8 * 1024 * 1024 } as const;
export const FRAME_HEADER_BYTES = 5; // u8 flags, u32 length
export const FLAG_FINAL = 0x01;
export const CODEC_RAW = 0;
export const CODEC_ZSTD = 1;

export const headerSchema = z
  .object({
    archiveId: z.string().regex(/^[0-9a-f]{32}$/),
    createdAt: z.string().max(64),
    chunkSize: z.number().int().min(CHUNK_SIZE_LIMITS.min).max(CHUNK_SIZE_LIMITS.max),
    compression: z.literal('zstd'),
    masterKey: keyFileSchema,
    fileKey: z.object({ nonce: z.string().max(64), ciphertext: z.string().max(128) }),
  })
  .strict();
export type ArchiveHeader = z.infer<typeof headerSchema>;

export interface ArchiveKeys {
  headerKey: Buffer;
  payloadKey: Buffer;
}

function fileKeyAad(archiveId: string): Buffer {
  return Buffer.from(`cloudos-backup file key v1|${archiveId}`);
}

/** Per-archive keys: a random file key (wrapped by the master key), HKDF-split in two. */
export function deriveArchiveKeys(fileKey: Buffer, archiveId: string): ArchiveKeys {
  const salt = Buffer.from(archiveId, 'hex');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', fileKey, salt, info, KEY_BYTES));
  return { headerKey: derive('cloudos-backup v1 header'), payloadKey: derive('cloudos-backup v1 payload') };
}

/** 128 random bits: an archive's id, also its name on a target. */
export function newArchiveId(): string {
  return randomBytes(16).toString('hex');
}

export function newArchiveHeader(
  masterKey: Buffer,
  keyFile: KeyFile,
  chunkSize: number,
  archiveId: string = newArchiveId(),
): { header: ArchiveHeader; fileKey: Buffer } {
  if (!/^[0-9a-f]{32}$/.test(archiveId)) throw new Error('an archive id is 32 lowercase hex digits');
  const fileKey = randomBytes(KEY_BYTES);
  const { nonce, ciphertext } = wrapBytes(masterKey, fileKey, fileKeyAad(archiveId));
  return {
    fileKey,
    header: {
      archiveId,
      createdAt: new Date().toISOString(),
      chunkSize,
      compression: 'zstd',
      masterKey: keyFile,
      fileKey: { nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') },
    },
  };
}

export function unwrapFileKey(masterKey: Buffer, header: ArchiveHeader): Buffer | null {
  return unwrapBytes(
    masterKey,
    Buffer.from(header.fileKey.nonce, 'base64'),
    Buffer.from(header.fileKey.ciphertext, 'base64'),
    fileKeyAad(header.archiveId),
  );
}

/** Serialises preamble + header JSON; the MAC is appended by the caller once keys exist. */
export function encodeHeader(header: ArchiveHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  MAGIC.copy(preamble, 0);
  preamble.writeUInt16BE(FORMAT_VERSION, MAGIC.length);
  preamble.writeUInt32BE(json.length, MAGIC.length + 2);
  return Buffer.concat([preamble, json]);
}

export function headerMac(headerKey: Buffer, encodedHeader: Buffer): Buffer {
  return createHmac('sha256', headerKey).update(encodedHeader).digest();
}

export function verifyHeaderMac(headerKey: Buffer, encodedHeader: Buffer, mac: Buffer): boolean {
  return mac.length === HEADER_MAC_BYTES && timingSafeEqual(headerMac(headerKey, encodedHeader), mac);
}

export function corrupted(detail: string): AppError {
  return new AppError('corrupted', `The archive is corrupted or was tampered with: ${detail}.`);
}

/** Reads the preamble; returns the header JSON length, or throws for a file that is not ours. */
export function parsePreamble(preamble: Buffer): number {
  if (preamble.length < PREAMBLE_BYTES || !preamble.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AppError('corrupted', 'This is not a Cloud OS Backups archive (wrong magic bytes), or its beginning is damaged.');
  }
  const version = preamble.readUInt16BE(MAGIC.length);
  if (version !== FORMAT_VERSION) {
    throw new AppError(
      'corrupted',
      `The archive has format version ${version}; this version of Cloud OS Backups reads version ${FORMAT_VERSION}.`,
    );
  }
  const length = preamble.readUInt32BE(MAGIC.length + 2);
  if (length < 2 || length > MAX_HEADER_BYTES) throw corrupted(`header length ${length} is out of range`);
  return length;
}

export function parseHeaderJson(json: Buffer): ArchiveHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    throw corrupted('the header is not valid JSON');
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) throw corrupted(`the header is invalid (${parsed.error.issues[0]?.path.join('.') || 'header'})`);
  return parsed.data;
}

/** Nonce of chunk `index`: 11-byte big-endian counter ‖ final flag (age's STREAM). */
export function chunkNonce(index: bigint, final: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(index, 3);
  nonce[11] = final ? 1 : 0;
  return nonce;
}
