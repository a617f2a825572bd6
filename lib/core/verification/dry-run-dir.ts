import { chmod, lstat, mkdir, readdir, rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { ACTIVE_STATES } from './verification-view';

const PREFIX = 'verify-';

/**
 * Where dry-run restores extract: `<data dir>/tmp`, on the disk Cloud OS Backups already
 * owns, not /tmp (often a small RAM disk) and never near the apps' live data.
 */
export function dryRunBase(dataDir: string): string {
  return path.join(dataDir, 'tmp');
}

/**
 * Creates the empty, owner-only directory of one verification's dry run, after checking the
 * disk has room for the backup's logical size plus 1 % (at least 64 MiB) of headroom.
 */
export async function createDryRunDir(base: string, verificationId: string, logicalBytes: number): Promise<string> {
  await mkdir(base, { recursive: true, mode: 0o700 });
  const fs = await statfs(base);
  const free = fs.bavail * fs.bsize;
  const wanted = logicalBytes + Math.max(64 * 1024 * 1024, logicalBytes * 0.01);
  if (free < wanted)
    throw new AppError(
      'no_space',
      `Not enough free space in ${base} for the dry-run restore: it needs ${(wanted / 1e6).toFixed(1)} MB, ${(free / 1e6).toFixed(1)} MB are free.`,
    );
  const dir = path.join(base, `${PREFIX}${verificationId}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: 0o700 });
  return dir;
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => {});
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) await makeWritable(path.join(dir, entry.name));
  }
}

/**
 * Removes a dry-run directory whatever the restored modes: a directory restored read-only
 * (0500) cannot be emptied by a non-root process until it is made writable again.
 */
export async function removeDryRunDir(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch {
    await makeWritable(dir);
    await rm(dir, { recursive: true, force: true });
  }
  if (await lstat(dir).catch(() => null)) throw new AppError('internal', `Could not remove the dry-run directory ${dir}.`);
}

/**
 * Removes dry-run directories left by a process that died mid-verification (SIGKILL, power
 * loss): every `verify-<id>` below `base` whose verification is not queued or running.
 * Returns the directories removed.
 */
export async function removeLeftoverDryRuns(db: Db, base: string): Promise<string[]> {
  const names = await readdir(base).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.filter((n) => n.startsWith(PREFIX))) {
    const id = name.slice(PREFIX.length);
    const verification = await db.verification.findUnique({ where: { id }, select: { state: true, jobId: true } });
    if (verification && ACTIVE_STATES.includes(verification.state as (typeof ACTIVE_STATES)[number])) {
      const job = verification.jobId
        ? await db.job.findUnique({ where: { id: verification.jobId }, select: { status: true } })
        : null;
      if (job && (job.status === 'queued' || job.status === 'running')) continue;
    }
    const dir = path.join(base, name);
    await removeDryRunDir(dir);
    removed.push(dir);
  }
  return removed;
}
