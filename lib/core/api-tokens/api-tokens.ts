import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { ApiToken } from '../generated/prisma/client';

/**
 * API tokens: `cob_` + 32 random bytes in base64url (256 bits, so a plain SHA-256 is a safe
 * hash to store: there is nothing to brute-force). The prefix makes a leaked token easy to
 * recognise in logs and by secret scanners.
 */
export const API_TOKEN_PREFIX = 'cob_';
export const API_TOKEN_PATTERN = /^cob_[A-Za-z0-9_-]{43}$/;

/** A token as listed: never the token itself, nor its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const apiTokenNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the token a name, e.g. the script that will use it.')
  .max(100, 'A token name has at most 100 characters.')
  .refine((name) => !/\p{Cc}/u.test(name), 'A token name cannot contain control characters.');

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function toApiTokenView(row: ApiToken): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Creates a token and returns it with its view. The token exists only in this return value:
 * the caller shows it once. Names are unique among tokens that are not revoked, so a name
 * identifies the token to revoke.
 */
export async function createApiToken(
  db: Db,
  input: { name: string; createdBy?: string },
  now = new Date(),
): Promise<{ token: string; view: ApiTokenView }> {
  const parsed = apiTokenNameSchema.safeParse(input.name);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'Invalid token name.';
    throw new AppError('invalid_input', message, { fields: { name: message } });
  }
  const name = parsed.data;
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  // One transaction: the name check and the insert cannot interleave with another create.
  const row = await db.$transaction(async (tx) => {
    if (await tx.apiToken.findFirst({ where: { name, revokedAt: null } })) {
      const message = `An API token named “${name}” exists. Choose another name, or revoke that token first.`;
      throw new AppError('conflict', message, { fields: { name: message } });
    }
    return tx.apiToken.create({
      data: { id: randomUUID(), name, tokenHash: hashApiToken(token), createdBy: input.createdBy ?? null, createdAt: now },
    });
  });
  return { token, view: toApiTokenView(row) };
}

/** Active tokens newest first; with `includeRevoked`, revoked ones too. */
export async function listApiTokens(db: Db, { includeRevoked = false } = {}): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({
    where: includeRevoked ? {} : { revokedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  return rows.map(toApiTokenView);
}

/**
 * Revokes the active token with this name, or the token with this id. From then on it
 * authenticates nothing. Revoking a revoked token by id is refused (conflict), so a script
 * notices that it revoked something else than it meant to.
 */
export async function revokeApiToken(db: Db, nameOrId: string, now = new Date()): Promise<ApiTokenView> {
  const key = nameOrId.trim();
  const row =
    (await db.apiToken.findFirst({ where: { name: key, revokedAt: null } })) ??
    (await db.apiToken.findUnique({ where: { id: key } }));
  if (!row) throw new AppError('not_found', `No active API token is named or has the id “${key}”.`);
  if (row.revokedAt)
    throw new AppError('conflict', `The API token “${row.name}” was already revoked on ${row.revokedAt.toISOString()}.`);
  const { count } = await db.apiToken.updateMany({ where: { id: row.id, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0) throw new AppError('conflict', `The API token “${row.name}” was revoked meanwhile.`);
  return toApiTokenView({ ...row, revokedAt: now });
}
