import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Backup, Target } from '../generated/prisma/client';
import { type BackupContents, contentsSchema } from './manifest';

/** `deleting`: retention is removing it (docs/SCHEDULES.md); no longer a backup to restore. */
export type BackupStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'deleting';

/** A catalog entry as the UI, the API and the CLI show it (numbers, ISO dates, no BigInt). */
export interface BackupView {
  id: string;
  status: BackupStatus;
  scope: 'full' | 'apps';
  apps: string[];
  target: { id: string; name: string; kind: string };
  scheduleId: string | null;
  jobId: string | null;
  objectKey: string;
  logicalBytes: number;
  storedBytes: number;
  fileCount: number;
  sha256: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** A failed or cancelled backup: when the cleanup pass confirmed nothing of it is left on the target. */
  cleanedAt: string | null;
  createdBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** When it came into this catalog from a target or a restored system catalog; null for backups made here. */
  importedAt: string | null;
  /** The last verification (lib/core/restore/verify-backup.ts), or null when never verified. */
  verification: { at: string; result: 'ok' | 'corrupted' | 'missing'; message: string | null } | null;
}

export interface BackupDetail extends BackupView {
  contents: BackupContents | null;
}

export function toBackupView(row: Backup & { target: Pick<Target, 'id' | 'name' | 'kind'> }): BackupView {
  return {
    id: row.id,
    status: row.status as BackupStatus,
    scope: row.scope as 'full' | 'apps',
    apps: JSON.parse(row.apps) as string[],
    target: { id: row.target.id, name: row.target.name, kind: row.target.kind },
    scheduleId: row.scheduleId,
    jobId: row.jobId,
    objectKey: row.objectKey,
    logicalBytes: Number(row.logicalBytes),
    storedBytes: Number(row.storedBytes),
    fileCount: row.fileCount,
    sha256: row.sha256,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    cleanedAt: row.cleanedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    importedAt: row.importedAt?.toISOString() ?? null,
    verification:
      row.verifiedAt && row.verifyResult
        ? {
            at: row.verifiedAt.toISOString(),
            result: row.verifyResult as 'ok' | 'corrupted' | 'missing',
            message: row.verifyMessage,
          }
        : null,
  };
}

const withTarget = { target: { select: { id: true, name: true, kind: true } } } as const;

export interface ListBackupsOptions {
  targetName?: string;
  status?: BackupStatus;
  limit?: number;
}

/** The newest first. An unknown target name is an error, not an empty list. */
export async function listBackups(db: Db, options: ListBackupsOptions = {}): Promise<BackupView[]> {
  let targetId: string | undefined;
  if (options.targetName !== undefined) {
    const target = await db.target.findUnique({ where: { name: options.targetName } });
    if (!target) throw new AppError('not_found', `There is no target named "${options.targetName}".`);
    targetId = target.id;
  }
  const rows = await db.backup.findMany({
    where: { ...(targetId ? { targetId } : {}), ...(options.status ? { status: options.status } : {}) },
    orderBy: { startedAt: 'desc' },
    take: options.limit ?? 200,
    include: withTarget,
  });
  return rows.map(toBackupView);
}

/**
 * One backup by id, or by a unique prefix of at least 6 characters (ids are long; people
 * copy the start of one from a list).
 */
export async function getBackup(db: Db, idOrPrefix: string): Promise<BackupDetail> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]{6,32}$/.test(wanted))
    throw new AppError('invalid_input', 'A backup id is 32 hex digits (or a unique start of one, at least 6).');
  const rows = await db.backup.findMany({ where: { id: { startsWith: wanted } }, take: 2, include: withTarget });
  if (rows.length === 0) throw new AppError('not_found', `There is no backup ${wanted}.`);
  if (rows.length > 1) throw new AppError('invalid_input', `${wanted} is the start of several backups; give more of the id.`);
  const row = rows[0] as (typeof rows)[number];
  let contents: BackupContents | null = null;
  if (row.manifest) {
    const parsed = contentsSchema.safeParse(JSON.parse(row.manifest));
    contents = parsed.success ? parsed.data : null;
  }
  return { ...toBackupView(row), contents };
}
