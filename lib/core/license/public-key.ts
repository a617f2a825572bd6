import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The vendor's license-signing public key, shipped with the product. Its private half is kept
 * by the vendor and never committed (docs/LICENSE.md "Issuing"). CLOUDOS_LICENSE_PUBLIC_KEY
 * replaces it, which is how tests install licenses they signed with their own key pairs.
 */
export const VENDOR_LICENSE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAMq95wfq69yaAYB3kf0Gt0Lj36qOknjdRb08dhO/vXBI=
-----END PUBLIC KEY-----
`;

const RAW_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Reads an Ed25519 public key given as PEM (SPKI; `\n` written as the two characters `\` `n`
 * is accepted, as env files often hold it) or as the 32 raw key bytes in base64 / base64url.
 * Throws an Error saying what is wrong otherwise.
 */
export function parseLicensePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  // createPublicKey would derive the public half from a private key; a private key has no
  // business in the product's configuration, so it is refused rather than silently used.
  if (trimmed.includes('PRIVATE KEY'))
    throw new Error('must be the public key, not the private key (which stays with the vendor)');
  let key: KeyObject;
  try {
    if (trimmed.includes('-----BEGIN')) {
      key = createPublicKey(trimmed.replaceAll('\\n', '\n'));
    } else if (RAW_KEY.test(trimmed)) {
      const x = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') }, format: 'jwk' });
    } else {
      throw new Error('neither PEM nor 32 bytes in base64');
    }
  } catch {
    throw new Error('must be an Ed25519 public key: PEM (BEGIN PUBLIC KEY) or its 32 raw bytes in base64');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be an Ed25519 public key, not ${key.asymmetricKeyType}`);
  return key;
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

/**
 * A short, stable name for a public key (16 hex digits of the SHA-256 of its raw bytes). A
 * license carries the key id it was signed for, so a license from another vendor key is
 * reported as such instead of as tampered.
 */
export function licenseKeyId(key: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(key)).digest('hex').slice(0, 16);
}
