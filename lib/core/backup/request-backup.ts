import { listApps } from '../apps/inventory';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { enqueueJob } from '../jobs/enqueue-job';
import type { JobView } from '../jobs/job-types';
import { DockerRuntime } from '../runtime/docker-runtime';
import { parseInput } from '../targets/target-input';
import { backupRequestSchema } from './backup-request';

export interface BackupChoices {
  apps: { id: string; error: string | null }[];
  targets: { name: string; kind: string; isDefault: boolean }[];
}

/** What a "Backup now" form offers: every app (broken ones with their reason) and every target. */
export async function backupChoices(db: Db, env: { appsDir: string; dockerBin: string }): Promise<BackupChoices> {
  const apps = await listApps(env.appsDir, new DockerRuntime(env.dockerBin));
  const targets = await db.target.findMany({ orderBy: [{ isDefault: 'desc' }, { name: 'asc' }] });
  return {
    apps: apps.map((a) => ({ id: a.id, error: a.error })),
    targets: targets.map((t) => ({ name: t.name, kind: t.kind, isDefault: t.isDefault })),
  };
}

/**
 * Queues a backup asked for by a person (UI, API). Everything that can be known now is
 * checked now — the target exists, the chosen apps exist and can be read — so a mistake is
 * answered at once with a message per field, and no job is queued for it.
 */
export async function requestBackup(
  db: Db,
  env: { appsDir: string; dockerBin: string },
  rawInput: unknown,
  createdBy: string,
): Promise<JobView> {
  const request = parseInput(backupRequestSchema, rawInput, 'backup');
  // A schedule id is set by the scheduler only; a person's request never carries one.
  if (request.scheduleId != null) throw new AppError('invalid_input', 'A backup started by hand has no schedule.');
  if (!(await db.target.findUnique({ where: { name: request.target } }))) {
    const problem = `There is no target named "${request.target}".`;
    throw new AppError('invalid_input', problem, { fields: { target: problem } });
  }
  if (request.scope === 'apps') await assertAppsCanBeBackedUp(env, request.apps);
  return enqueueJob(db, 'backup', request, { createdBy });
}

/** Throws invalid_input (field `apps`) naming the first app that does not exist or is broken. */
export async function assertAppsCanBeBackedUp(
  env: { appsDir: string; dockerBin: string },
  ids: readonly string[],
): Promise<void> {
  const apps = await listApps(env.appsDir, new DockerRuntime(env.dockerBin));
  for (const id of ids) {
    const app = apps.find((a) => a.id === id);
    const known = apps.map((a) => a.id).join(', ') || 'none';
    const problem = !app
      ? `There is no app "${id}" (apps: ${known}).`
      : app.error
        ? `The app "${id}" cannot be backed up: ${app.error}`
        : null;
    if (problem) throw new AppError('invalid_input', problem, { fields: { apps: problem } });
  }
}
