import { randomBytes } from 'node:crypto';
import type { Db } from '@/lib/core/db/client';

/**
 * Inserts a catalog row as a finished backup of the app "notes" on `targetId` would leave it
 * (succeeded, an object key, a SHA-256), changed by `data`; returns its id. For tests that
 * need backups in the database without making any.
 */
export async function insertBackupRow(
  db: Db,
  row: { targetId: string; startedAt: Date; finishedAt: Date } & Record<string, unknown>,
): Promise<string> {
  const id = randomBytes(16).toString('hex');
  await db.backup.create({
    data: {
      id,
      scope: 'apps',
      apps: JSON.stringify(['notes']),
      status: 'succeeded',
      objectKey: `archives/${id}.cob`,
      sha256: 'a'.repeat(64),
      ...row,
    },
  });
  return id;
}
