import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { getSetting, putSetting, SettingKey } from '../settings/settings';

const KEY_BYTES = 32;

/** First 16 hex chars of SHA-256(key): identifies the key in the database without revealing it. */
export function fingerprintKey(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function readKeyFile(keyPath: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(keyPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new AppError('config', `instance key ${keyPath} cannot be read (${code}); check its owner and permissions`, {
      cause: error,
    });
  }
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length !== KEY_BYTES || !/^[0-9a-f]+$/i.test(text.trim())) {
    throw new AppError('config', `instance key ${keyPath} is damaged: expected ${KEY_BYTES * 2} hex characters`);
  }
  return key;
}

/** Creates the key file with O_EXCL so two processes starting together never both write one. */
function createKeyFile(keyPath: string): Buffer {
  mkdirSync(path.dirname(keyPath), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    writeFileSync(keyPath, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const existing = readKeyFile(keyPath);
      if (existing) return existing;
    }
    throw new AppError('config', `instance key ${keyPath} cannot be created: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Loads the instance key, creating it on the very first start. Once the database has recorded
 * a key's fingerprint, a missing or different key file is an error: silently making a new key
 * would orphan every secret sealed with the old one.
 */
export async function ensureInstanceKey(db: Db, keyPath: string): Promise<Buffer> {
  const recorded = await getSetting(db, SettingKey.instanceKeyFingerprint);
  let key = readKeyFile(keyPath);
  if (!key) {
    if (recorded) {
      throw new AppError(
        'config',
        `instance key ${keyPath} is missing, but this database was set up with one (fingerprint ${recorded}); restore the file from your copy of the data directory — a new key cannot decrypt the stored secrets`,
      );
    }
    key = createKeyFile(keyPath);
  }
  const fingerprint = fingerprintKey(key);
  if (recorded && recorded !== fingerprint) {
    throw new AppError(
      'config',
      `instance key ${keyPath} does not belong to this database (fingerprint ${fingerprint}, expected ${recorded}); put the original file back`,
    );
  }
  if (!recorded) await putSetting(db, SettingKey.instanceKeyFingerprint, fingerprint);
  return key;
}
