import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seal, unseal } from './seal';

describe('seal / unseal', () => {
  const key = randomBytes(32);

  it('round-trips and never contains the plaintext', () => {
    const sealed = seal(key, 'backup.passphrase', 'my secret passphrase');
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain('my secret');
    expect(unseal(key, 'backup.passphrase', sealed)).toBe('my secret passphrase');
    expect(seal(key, 'backup.passphrase', 'my secret passphrase')).not.toBe(sealed);
  });

  it('refuses another key, another context or a changed byte', () => {
    const sealed = seal(key, 'a', 'secret');
    expect(() => unseal(randomBytes(32), 'a', sealed)).toThrow(/cannot be decrypted with this instance key/);
    expect(() => unseal(key, 'b', sealed)).toThrow(/cannot be decrypted/);
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    expect(() => unseal(key, 'a', `sealed:v1:${raw.toString('base64')}`)).toThrow(/cannot be decrypted/);
    expect(() => unseal(key, 'a', 'plain text')).toThrow(/is not sealed/);
  });
});
