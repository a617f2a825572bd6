import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors';

const PREFIX = 'sealed:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts a small secret (a target password, the backup passphrase) with the instance key,
 * AES-256-GCM with a random nonce. `context` is bound as associated data so a sealed value
 * cannot be moved to another field.
 */
export function seal(key: Buffer, context: string, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

export function unseal(key: Buffer, context: string, sealed: string): string {
  if (!sealed.startsWith(PREFIX)) throw new AppError('internal', `stored secret "${context}" is not sealed`);
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new AppError('internal', `stored secret "${context}" is damaged`);
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new AppError(
      'internal',
      `stored secret "${context}" cannot be decrypted with this instance key (was instance.key replaced?)`,
      { cause: error },
    );
  }
}
