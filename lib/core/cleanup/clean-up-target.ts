import { archiveKey, manifestKey } from '../backup/repository';
import type { Db } from '../db/client';
import type { Backup } from '../generated/prisma/client';
import { finishDeletion } from '../retention/delete-backup';
import type { PartialUpload } from '../storage/storage-target';
import { openTargetById } from '../targets/targets';

/** A partial upload that no backup of ours owns is removed only once nobody wrote to it for this long. */
export const DEFAULT_STALE_AFTER_MS = 24 * 60 * 60 * 1000;

type Log = (message: string, level?: 'info' | 'warn' | 'error') => Promise<void> | void;

export interface CleanupOptions {
  now?: Date;
  staleAfterMs?: number;
  log: Log;
}

export interface CleanupOutcome {
  /** Failed or cancelled backups now confirmed to have left nothing on the target. */
  failedCleaned: string[];
  /** Retention deletions an interruption had left half done, now finished. */
  deletionsFinished: string[];
  /** Partial uploads removed (temporaries, open multipart uploads). */
  partialsRemoved: { key: string; id: string }[];
  /** Partial uploads left alone: a running backup's, or not ours and written to recently. */
  partialsKept: { key: string; id: string; why: 'running' | 'recent' }[];
  /** Complete archive objects without a manifest and without a catalog row, stale: interrupted uploads. */
  orphansRemoved: string[];
}

/** The catalog id a key belongs to: `archives/<id>.cob` and `manifests/<id>.json`. */
function backupIdOf(key: string): string | null {
  return /^(?:archives\/([0-9a-f]+)\.cob|manifests\/([0-9a-f]+)\.json)$/.exec(key)?.slice(1).find(Boolean) ?? null;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * Removes what failed and interrupted uploads left on one target — separately from retention,
 * and never a successful backup or an upload that may still be running:
 *
 * - failed or cancelled backups of the catalog not yet confirmed clean: their partial uploads,
 *   object and manifest go (a failed backup is never a backup), then `cleanedAt` is set;
 * - catalog rows retention left `deleting` (a crash, an offline target): deletion finishes;
 * - any other partial upload: kept when it belongs to a backup still `running` (its upload
 *   may be going on; recovery handles dead ones); removed when it belongs to a finished row of
 *   ours (no put of that key can be going on any more); otherwise — no row of ours, e.g. another
 *   instance sharing the target — removed only when nobody wrote to it for `staleAfterMs`;
 * - a complete archive without a manifest and without any row of ours: removed once it is
 *   older than `staleAfterMs`. An archive of a `succeeded` row is never touched here, with or
 *   without its manifest (that is for verification to report, not for a cleanup to "fix").
 *
 * Partials are listed BEFORE the catalog is read: a backup starting in between already has
 * its `running` row (runBackup creates it before uploading) and so is never mistaken for an
 * orphan.
 */
export async function cleanUpTarget(
  db: Db,
  instanceKey: Buffer,
  targetId: string,
  { now = new Date(), staleAfterMs = DEFAULT_STALE_AFTER_MS, log }: CleanupOptions,
): Promise<CleanupOutcome> {
  const outcome: CleanupOutcome = {
    failedCleaned: [],
    deletionsFinished: [],
    partialsRemoved: [],
    partialsKept: [],
    orphansRemoved: [],
  };
  const target = await openTargetById(db, instanceKey, targetId);
  try {
    const partials = await collect(target.listPartials(''));
    const archives = await collect(target.list('archives/'));
    const manifests = new Set((await collect(target.list('manifests/'))).map((m) => m.key));
    const unsealed = archives.filter((a) => {
      const id = backupIdOf(a.key);
      return id !== null && !manifests.has(manifestKey(id));
    });
    const owners = new Map<string, Backup>();
    const ownerIds = [
      ...new Set([...partials, ...unsealed].map((p) => backupIdOf(p.key)).filter((id): id is string => id !== null)),
    ];
    for (const row of await db.backup.findMany({ where: { id: { in: ownerIds } } })) owners.set(row.id, row);
    const removed = new Set<PartialUpload>();
    const remove = async (partial: PartialUpload) => {
      await target.removePartial(partial);
      removed.add(partial);
      outcome.partialsRemoved.push({ key: partial.key, id: partial.id });
    };

    const failed = await db.backup.findMany({
      where: { targetId, status: { in: ['failed', 'cancelled'] }, cleanedAt: null },
      orderBy: { startedAt: 'asc' },
    });
    for (const row of failed) {
      // Only ever this backup's own keys: a row whose objectKey names anything else (a
      // hand-edited database) is not followed there.
      if (row.objectKey !== archiveKey(row.id)) {
        await log(`Cleanup: backup ${row.id} names an unexpected object ${row.objectKey}; left alone.`, 'warn');
        continue;
      }
      const mine = partials.filter((p) => p.key === row.objectKey || p.key === manifestKey(row.id));
      const object = await target.stat(row.objectKey);
      const manifest = await target.stat(manifestKey(row.id));
      for (const partial of mine) await remove(partial);
      await target.delete(manifestKey(row.id));
      await target.delete(row.objectKey);
      await db.backup.update({ where: { id: row.id }, data: { cleanedAt: now } });
      outcome.failedCleaned.push(row.id);
      const what = [object && 'its object', manifest && 'its manifest', mine.length > 0 && `${mine.length} partial upload(s)`];
      if (what.some(Boolean))
        await log(`Cleanup: removed what the ${row.status} backup ${row.id} left (${what.filter(Boolean).join(', ')}).`);
    }

    for (const row of await db.backup.findMany({ where: { targetId, status: 'deleting' } })) {
      await finishDeletion(db, instanceKey, row);
      outcome.deletionsFinished.push(row.id);
      await log(`Cleanup: finished deleting backup ${row.id}, which retention had started to delete.`);
    }

    for (const partial of partials) {
      if (removed.has(partial)) continue;
      const ownerId = backupIdOf(partial.key);
      const owner = ownerId ? owners.get(ownerId) : undefined;
      if (owner?.status === 'running') {
        outcome.partialsKept.push({ key: partial.key, id: partial.id, why: 'running' });
      } else if (owner) {
        await remove(partial);
        await log(`Cleanup: removed a partial upload of ${partial.key} (backup ${owner.id} is ${owner.status}).`);
      } else if (now.getTime() - partial.lastWrittenAt.getTime() >= staleAfterMs) {
        await remove(partial);
        await log(
          `Cleanup: removed a partial upload of ${partial.key} that no backup of this instance owns, last written ${partial.lastWrittenAt.toISOString()}.`,
        );
      } else {
        outcome.partialsKept.push({ key: partial.key, id: partial.id, why: 'recent' });
      }
    }

    // A complete archive without a manifest is an upload cut off before its commit marker
    // (docs/FORMAT.md §4). Ours are handled above or by recovery; one nobody of this instance
    // owns goes once it is stale (a manifest follows its object within seconds).
    for (const archive of unsealed) {
      const id = backupIdOf(archive.key) as string;
      if (owners.has(id) || now.getTime() - archive.modifiedAt.getTime() < staleAfterMs) continue;
      await target.delete(archive.key);
      outcome.orphansRemoved.push(archive.key);
      await log(
        `Cleanup: removed ${archive.key}, an upload without a manifest that no backup of this instance owns, from ${archive.modifiedAt.toISOString()}.`,
      );
    }
  } finally {
    await target.close().catch(() => {});
  }
  return outcome;
}

/** The cleanup pass over every target; a target that fails (offline) is logged and tried next time. */
export async function cleanUpAllTargets(db: Db, instanceKey: Buffer, options: CleanupOptions): Promise<void> {
  for (const target of await db.target.findMany({ select: { id: true, name: true } })) {
    try {
      await cleanUpTarget(db, instanceKey, target.id, options);
    } catch (error) {
      await options.log(
        `Cleanup of target "${target.name}" did not finish: ${error instanceof Error ? error.message : String(error)} It is tried again later.`,
        'warn',
      );
    }
  }
}
