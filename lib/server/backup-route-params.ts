import 'server-only';
import { getBackup } from '@/lib/core/backup/catalog';
import type { Db } from '@/lib/core/db/client';
import { AppError } from '@/lib/core/errors';

/**
 * The backup a REST path names. In a path, an id that cannot be a backup id is an unknown
 * backup (404), not bad input: /api/backups/nope/verify has no such resource.
 */
export async function backupFromPath(db: Db, id: string) {
  if (!/^[0-9a-fA-F]{6,32}$/.test(id)) throw new AppError('not_found', `There is no backup ${id}.`);
  return getBackup(db, id);
}
