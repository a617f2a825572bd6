import type { BackupManifest } from '../backup/manifest';
import type { Db } from '../db/client';
import { verifyStoredBackup } from '../restore/verify-backup';

export interface IntegrityCheck {
  result: 'pass' | 'fail';
  message: string;
  /** The target's manifest (MAC and agreement with the catalog checked), when it was read. */
  manifest: BackupManifest | null;
}

/**
 * The integrity check is the manual verify of the restore issue (verify-backup.ts): the whole
 * stored object read, every chunk authenticated, its SHA-256 compared with the catalog's and
 * the target manifest's, the outcome stored on the backup. With `extractTo`, the same read
 * also writes the files there for the dry-run check. A target that cannot be read throws.
 */
export async function checkIntegrity(
  db: Db,
  instanceKey: Buffer,
  backupId: string,
  options: { signal?: AbortSignal; extractTo?: string; onBytes: (bytesDone: number, bytesTotal: number) => void },
): Promise<IntegrityCheck> {
  const { result, manifest } = await verifyStoredBackup(db, instanceKey, backupId, {
    signal: options.signal,
    extractTo: options.extractTo,
    onProgress: ({ bytesDone, bytesTotal }) => options.onBytes(bytesDone, bytesTotal),
  });
  if (result.result === 'ok') return { result: 'pass', message: result.message, manifest };
  return { result: 'fail', message: `${result.result}: ${result.message}`, manifest };
}
