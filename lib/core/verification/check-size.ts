import { type BackupDetail, getBackup } from '../backup/catalog';
import { contentsSchema } from '../backup/manifest';
import type { Db } from '../db/client';
import { openTargetById } from '../targets/targets';
import { formatBytes } from '../util/format-bytes';
import { assessSizeTrend, type SizeSample } from './size-trend';

export interface SizeCheck {
  result: 'pass' | 'warn' | 'fail';
  message: string;
  /** What the backup's verifyResult becomes: the object is not there, or has the wrong size. */
  verdict: 'missing' | 'corrupted' | null;
}

function appBytesOf(manifest: string | null): Record<string, number> | null {
  if (!manifest) return null;
  try {
    const contents = contentsSchema.safeParse(JSON.parse(manifest));
    return contents.success ? Object.fromEntries(contents.data.apps.map((a) => [a.id, a.bytes])) : null;
  } catch {
    return null;
  }
}

function sampleOf(backup: BackupDetail): SizeSample {
  return {
    scope: backup.scope,
    apps: backup.apps,
    logicalBytes: backup.logicalBytes,
    appBytes: backup.contents ? Object.fromEntries(backup.contents.apps.map((a) => [a.id, a.bytes])) : null,
  };
}

/** Up to 50 successful backups started before this one, newest first. */
async function earlierSamples(db: Db, backup: BackupDetail): Promise<SizeSample[]> {
  const rows = await db.backup.findMany({
    where: { status: 'succeeded', startedAt: { lt: new Date(backup.startedAt) }, id: { not: backup.id } },
    orderBy: { startedAt: 'desc' },
    take: 50,
    select: { scope: true, apps: true, logicalBytes: true, manifest: true },
  });
  return rows.map((r) => ({
    scope: r.scope as 'full' | 'apps',
    apps: JSON.parse(r.apps) as string[],
    logicalBytes: Number(r.logicalBytes),
    appBytes: appBytesOf(r.manifest),
  }));
}

/**
 * The size check: the stored object exists on the target, is not empty and has exactly the
 * size the catalog recorded; its logical size is compared with the recent backups of the same
 * apps (size-trend.ts), a drop of 90 % or more being a warning.
 */
export async function checkSize(db: Db, instanceKey: Buffer, backupId: string): Promise<SizeCheck> {
  const backup = await getBackup(db, backupId);
  const target = await openTargetById(db, instanceKey, backup.target.id);
  let stored: Awaited<ReturnType<typeof target.stat>>;
  try {
    stored = await target.stat(backup.objectKey);
  } finally {
    await target.close().catch(() => {});
  }
  const where = `on the target "${backup.target.name}"`;
  if (!stored) return { result: 'fail', verdict: 'missing', message: `The stored object ${backup.objectKey} is not ${where}.` };
  if (stored.size === 0)
    return {
      result: 'fail',
      verdict: 'corrupted',
      message: `The stored object ${backup.objectKey} ${where} is empty (0 bytes).`,
    };
  if (stored.size !== backup.storedBytes)
    return {
      result: 'fail',
      verdict: 'corrupted',
      message: `truncated or extended: the target holds ${stored.size} bytes of ${backup.objectKey}, the catalog recorded ${backup.storedBytes}.`,
    };
  const { warnings, summary } = assessSizeTrend(sampleOf(backup), await earlierSamples(db, backup));
  const stats = `${formatBytes(stored.size)} stored, as recorded`;
  if (warnings.length > 0) return { result: 'warn', verdict: null, message: `${stats}. ${warnings.join(' ')}` };
  return { result: 'pass', verdict: null, message: `${stats}; ${summary}.` };
}
