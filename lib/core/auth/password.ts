import argon2 from 'argon2';

export const MIN_PASSWORD_LENGTH = 12;

// OWASP's Argon2id baseline (m=19 MiB, t=2, p=1): sign-in stays fast on a small home server.
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Burns the same time as a real check, so an unknown username cannot be told apart by timing. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('cloudos-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
