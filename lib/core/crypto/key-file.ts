import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors';
import { KEY_BYTES, unwrapBytes, wrapBytes } from './aead';
import {
  DEFAULT_KDF,
  deriveKeyFromPassphrase,
  type KdfParams,
  kdfParamsFromJson,
  kdfParamsJsonSchema,
  kdfParamsToJson,
} from './kdf';

/**
 * A master key wrapped under the backup passphrase (restic's key files are the model). The
 * same JSON is stored in the database, in `keys/` on every target, and copied into every
 * archive header, so a new server opens backups with the passphrase alone.
 */
export const keyFileSchema = z.object({
  format: z.literal('cloudos-backup-key'),
  version: z.literal(1),
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  kdf: kdfParamsJsonSchema,
  wrappedKey: z.object({ nonce: z.string().max(64), ciphertext: z.string().max(128) }),
  createdAt: z.string().max(64),
});
export type KeyFile = z.infer<typeof keyFileSchema>;

/** Identifies a master key without revealing it (HMAC of a constant under the key). */
export function masterKeyId(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('cloudos-backup key id v1').digest('hex').slice(0, 32);
}

// Binding the KDF parameters as associated data: changing any of them breaks the unwrap.
function wrapAad(kdf: KdfParams): Buffer {
  return Buffer.from(
    `cloudos-backup key v1|argon2id|${kdf.memoryKiB}|${kdf.iterations}|${kdf.parallelism}|${kdf.salt.toString('hex')}`,
  );
}

export function generateMasterKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Wraps the master key under a key derived from the passphrase, with a fresh salt. */
export async function createKeyFile(
  masterKey: Buffer,
  passphrase: string,
  kdfOptions: Partial<Record<keyof typeof DEFAULT_KDF, number>> = {},
): Promise<KeyFile> {
  const kdf: KdfParams = { algorithm: 'argon2id', ...DEFAULT_KDF, ...kdfOptions, salt: randomBytes(16) };
  const kek = await deriveKeyFromPassphrase(passphrase, kdf);
  const { nonce, ciphertext } = wrapBytes(kek, masterKey, wrapAad(kdf));
  return {
    format: 'cloudos-backup-key',
    version: 1,
    keyId: masterKeyId(masterKey),
    kdf: kdfParamsToJson(kdf),
    wrappedKey: { nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') },
    createdAt: new Date().toISOString(),
  };
}

export function parseKeyFile(raw: unknown): KeyFile {
  const parsed = keyFileSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('corrupted', 'The key file is damaged or not a Cloud OS Backups key file.');
  return parsed.data;
}

/**
 * Opens a key file with the passphrase. Returns null for a wrong passphrase (callers may
 * try another key file); throws `corrupted` for out-of-range parameters or a key that does
 * not match its id.
 */
export async function tryOpenKeyFile(keyFile: KeyFile, passphrase: string): Promise<Buffer | null> {
  const kdf = kdfParamsFromJson(keyFile.kdf);
  const kek = await deriveKeyFromPassphrase(passphrase, kdf);
  const masterKey = unwrapBytes(
    kek,
    Buffer.from(keyFile.wrappedKey.nonce, 'base64'),
    Buffer.from(keyFile.wrappedKey.ciphertext, 'base64'),
    wrapAad(kdf),
  );
  if (!masterKey) return null;
  if (masterKey.length !== KEY_BYTES || masterKeyId(masterKey) !== keyFile.keyId) {
    throw new AppError('corrupted', 'The key file does not match the key it holds: it is damaged.');
  }
  return masterKey;
}

export async function openKeyFile(keyFile: KeyFile, passphrase: string): Promise<Buffer> {
  const masterKey = await tryOpenKeyFile(keyFile, passphrase);
  if (!masterKey) throw new AppError('wrong_passphrase', 'Wrong passphrase: it does not open this backup key.');
  return masterKey;
}

/**
 * Re-wraps the master key under a new passphrase (new salt). The master key itself stays, so
 * every archive made before opens through the new key file; their header copies still open
 * with the old passphrase.
 */
export async function changeKeyFilePassphrase(keyFile: KeyFile, oldPassphrase: string, newPassphrase: string): Promise<KeyFile> {
  const masterKey = await openKeyFile(keyFile, oldPassphrase);
  return createKeyFile(masterKey, newPassphrase);
}
