import argon2 from 'argon2';
import { z } from 'zod';
import { AppError } from '../errors';

/** Argon2id parameters as stored beside every wrapped key (key files and archive headers). */
export interface KdfParams {
  algorithm: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: Buffer;
}

/** What new key files use (DESIGN.md §4): m = 64 MiB, t = 3, p = 4. */
export const DEFAULT_KDF = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 4 } as const;

/**
 * The ranges a stored header may ask for. Checked BEFORE Argon2 runs, so a crafted file
 * cannot make us allocate gigabytes or spin for hours. Upper bounds leave room for stronger
 * future defaults; lower bounds refuse parameters too weak to protect a passphrase.
 */
export const KDF_LIMITS = {
  memoryKiB: { min: 8 * 1024, max: 1024 * 1024 },
  iterations: { min: 1, max: 16 },
  parallelism: { min: 1, max: 16 },
  saltBytes: { min: 16, max: 64 },
} as const;

export const kdfParamsJsonSchema = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int(),
  iterations: z.number().int(),
  parallelism: z.number().int(),
  salt: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
});
export type KdfParamsJson = z.infer<typeof kdfParamsJsonSchema>;

function inRange(value: number, { min, max }: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

export function assertKdfParams(params: KdfParams): void {
  const problems: string[] = [];
  if (!inRange(params.memoryKiB, KDF_LIMITS.memoryKiB)) problems.push(`memory ${params.memoryKiB} KiB`);
  if (!inRange(params.iterations, KDF_LIMITS.iterations)) problems.push(`iterations ${params.iterations}`);
  if (!inRange(params.parallelism, KDF_LIMITS.parallelism)) problems.push(`parallelism ${params.parallelism}`);
  if (!inRange(params.salt.length, KDF_LIMITS.saltBytes)) problems.push(`salt of ${params.salt.length} bytes`);
  if (problems.length > 0) {
    throw new AppError(
      'corrupted',
      `The key derivation parameters are out of the accepted range (${problems.join(', ')}): the file is damaged or was crafted.`,
    );
  }
}

export function kdfParamsToJson(params: KdfParams): KdfParamsJson {
  return {
    algorithm: 'argon2id',
    memoryKiB: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    salt: params.salt.toString('base64'),
  };
}

export function kdfParamsFromJson(json: KdfParamsJson): KdfParams {
  const params = { ...json, salt: Buffer.from(json.salt, 'base64') };
  assertKdfParams(params);
  return params;
}

/** Derives a 256-bit key-encryption key from the passphrase (range-checks first). */
export async function deriveKeyFromPassphrase(passphrase: string, params: KdfParams): Promise<Buffer> {
  assertKdfParams(params);
  return argon2.hash(passphrase.normalize('NFC'), {
    raw: true,
    type: argon2.argon2id,
    version: 0x13,
    salt: params.salt,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
  });
}
