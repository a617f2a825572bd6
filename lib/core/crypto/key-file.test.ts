import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { openBytes, sealBytes } from '@/test/helpers/archive-bytes';
import { DEFAULT_KDF, deriveKeyFromPassphrase, KDF_LIMITS } from './kdf';
import { changeKeyFilePassphrase, createKeyFile, generateMasterKey, masterKeyId, openKeyFile, tryOpenKeyFile } from './key-file';

describe('Argon2id', () => {
  it('matches the RFC 9106 test vector (section 5.3)', async () => {
    const tag = await argon2.hash(Buffer.alloc(32, 1), {
      raw: true,
      type: argon2.argon2id,
      version: 0x13,
      salt: Buffer.alloc(16, 2),
      secret: Buffer.alloc(8, 3),
      associatedData: Buffer.alloc(12, 4),
      memoryCost: 32,
      timeCost: 3,
      parallelism: 4,
      hashLength: 32,
    });
    expect(tag.toString('hex')).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });

  it('derives the key with exactly the stored parameters', async () => {
    const salt = Buffer.alloc(16, 7);
    const ours = await deriveKeyFromPassphrase('pass', {
      algorithm: 'argon2id',
      memoryKiB: 8192,
      iterations: 2,
      parallelism: 2,
      salt,
    });
    const reference = await argon2.hash('pass', {
      raw: true,
      type: argon2.argon2id,
      version: 0x13,
      salt,
      memoryCost: 8192,
      timeCost: 2,
      parallelism: 2,
      hashLength: 32,
    });
    expect(ours.equals(reference)).toBe(true);
  });

  it('refuses out-of-range parameters before running', async () => {
    const salt = Buffer.alloc(16);
    await expect(
      deriveKeyFromPassphrase('p', {
        algorithm: 'argon2id',
        memoryKiB: KDF_LIMITS.memoryKiB.max + 1,
        iterations: 3,
        parallelism: 4,
        salt,
      }),
    ).rejects.toThrow(/out of the accepted range \(memory/);
    await expect(
      deriveKeyFromPassphrase('p', {
        algorithm: 'argon2id',
        memoryKiB: 65536,
        iterations: 3,
        parallelism: 4,
        salt: Buffer.alloc(8),
      }),
    ).rejects.toThrow(/salt of 8 bytes/);
  });
});

describe('key files', () => {
  it('wrap the master key with the default parameters (m = 64 MiB, t = 3, p = 4) and a random salt', async () => {
    const masterKey = generateMasterKey();
    const a = await createKeyFile(masterKey, 'correct horse battery');
    const b = await createKeyFile(masterKey, 'correct horse battery');
    expect(a.kdf).toMatchObject({ algorithm: 'argon2id', ...DEFAULT_KDF });
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.keyId).toBe(masterKeyId(masterKey));
    expect(JSON.stringify(a)).not.toContain(masterKey.toString('base64'));
    expect((await openKeyFile(a, 'correct horse battery')).equals(masterKey)).toBe(true);
    await expect(openKeyFile(a, 'wrong horse battery')).rejects.toMatchObject({ code: 'wrong_passphrase' });
  });

  it('bind their parameters: a changed parameter does not open', async () => {
    const masterKey = generateMasterKey();
    const keyFile = await createKeyFile(masterKey, 'pw', { memoryKiB: 8192, iterations: 1, parallelism: 1 });
    expect(await tryOpenKeyFile({ ...keyFile, kdf: { ...keyFile.kdf, iterations: 2 } }, 'pw')).toBeNull();
  });

  it('after a passphrase change, an old archive opens with the new passphrase (key file) and the old one (header copy)', async () => {
    const masterKey = generateMasterKey();
    const fast = { memoryKiB: 8192, iterations: 1, parallelism: 1 };
    const original = await createKeyFile(masterKey, 'old passphrase!', fast);
    const data = Buffer.from('ten years of photos');
    const { stored } = await sealBytes(data, { masterKey, keyFile: original, chunkSize: 64 });

    const changed = await changeKeyFilePassphrase(original, 'old passphrase!', 'new passphrase!');
    expect(changed.keyId).toBe(original.keyId);
    expect(changed.kdf.salt).not.toBe(original.kdf.salt);
    expect(await tryOpenKeyFile(changed, 'old passphrase!')).toBeNull();

    expect((await openBytes(stored, { passphrase: 'new passphrase!', keyFiles: [changed] })).plain.equals(data)).toBe(true);
    expect((await openBytes(stored, { passphrase: 'old passphrase!', keyFiles: [changed] })).plain.equals(data)).toBe(true);
    await expect(openBytes(stored, { passphrase: 'new passphrase!' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
  });
});
