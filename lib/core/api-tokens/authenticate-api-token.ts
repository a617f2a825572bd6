import type { Db } from '../db/client';
import { API_TOKEN_PATTERN, hashApiToken } from './api-tokens';

/** Writing lastUsedAt on every request would turn each API call into a database write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiTokenPrincipal {
  tokenId: string;
  tokenName: string;
}

/**
 * The token behind a bearer credential, or null when it is malformed, unknown or revoked.
 * Records the use at most once a minute per token.
 */
export async function authenticateApiToken(db: Db, token: string, now = new Date()): Promise<ApiTokenPrincipal | null> {
  if (!API_TOKEN_PATTERN.test(token)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(token) } });
  if (!row || row.revokedAt) return null;
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.lastUsedAt || row.lastUsedAt.getTime() <= stale.getTime()) {
    // Conditional, so concurrent requests of one token write once.
    await db.apiToken.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] },
      data: { lastUsedAt: now },
    });
  }
  return { tokenId: row.id, tokenName: row.name };
}
