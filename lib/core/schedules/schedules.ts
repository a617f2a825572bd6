import { randomUUID } from 'node:crypto';
import { assertAppsCanBeBackedUp } from '../backup/request-backup';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Schedule, Target } from '../generated/prisma/client';
import { parseInput } from '../targets/target-input';
import { findTarget } from '../targets/targets';
import { nextRuns } from './cron';
import { describeCron } from './describe-cron';
import { APPS_MESSAGE, appsMatchScope, type ScheduleChanges, scheduleChanges, scheduleInput } from './schedule-input';

/** A schedule as the UI, the API and the CLI show it. */
export interface ScheduleView {
  id: string;
  name: string;
  cron: string;
  description: string;
  target: { id: string; name: string };
  scope: 'full' | 'apps';
  apps: string[];
  keepLast: number | null;
  keepDaily: number | null;
  keepWeekly: number | null;
  enabled: boolean;
  lastFireAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type ScheduleRow = Schedule & { target: Pick<Target, 'id' | 'name'> };
const withTarget = { target: { select: { id: true, name: true } } } as const;

export function toScheduleView(row: ScheduleRow): ScheduleView {
  return {
    id: row.id,
    name: row.name,
    cron: row.cron,
    description: describeCron(row.cron),
    target: { id: row.target.id, name: row.target.name },
    scope: row.scope as 'full' | 'apps',
    apps: JSON.parse(row.apps) as string[],
    keepLast: row.keepLast,
    keepDaily: row.keepDaily,
    keepWeekly: row.keepWeekly,
    enabled: row.enabled,
    lastFireAt: row.lastFireAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function nameTaken(name: string): AppError {
  return new AppError('conflict', `A schedule named "${name}" already exists.`, { fields: { name: 'This name is taken.' } });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'P2002';
}

export async function findSchedule(db: Db, name: string): Promise<ScheduleRow> {
  const row = await db.schedule.findUnique({ where: { name }, include: withTarget });
  if (!row) throw new AppError('not_found', `There is no schedule named "${name}".`);
  return row;
}

export async function listSchedules(db: Db): Promise<ScheduleView[]> {
  return (await db.schedule.findMany({ orderBy: { name: 'asc' }, include: withTarget })).map(toScheduleView);
}

export interface ScheduleWriteOptions {
  now?: Date;
  /** When given, chosen apps must exist and not be broken (as for a backup started by hand). */
  apps?: { appsDir: string; dockerBin: string };
}

/** Validates and stores a schedule. Its first fire is the first cron time after `now`. */
export async function createSchedule(
  db: Db,
  rawInput: unknown,
  { now = new Date(), apps }: ScheduleWriteOptions = {},
): Promise<ScheduleView> {
  const input = parseInput(scheduleInput, rawInput, 'schedule');
  const target = await findTarget(db, input.target);
  if (apps && input.scope === 'apps') await assertAppsCanBeBackedUp(apps, input.apps);
  if (await db.schedule.findUnique({ where: { name: input.name } })) throw nameTaken(input.name);
  try {
    const row = await db.schedule.create({
      data: {
        id: randomUUID(),
        name: input.name,
        cron: input.cron,
        targetId: target.id,
        scope: input.scope,
        apps: JSON.stringify(input.scope === 'full' ? [] : [...new Set(input.apps)]),
        keepLast: input.keepLast ?? null,
        keepDaily: input.keepDaily ?? null,
        keepWeekly: input.keepWeekly ?? null,
        enabled: input.enabled,
        checkedUntil: now,
        createdAt: now,
      },
      include: withTarget,
    });
    return toScheduleView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

/**
 * Applies an edit. A new cron expression, or enabling a disabled schedule, restarts counting
 * fire times from `now`: the times the old expression (or the disabled schedule) did not fire
 * are not "missed". The worker reads the row on every tick, so edits apply without a restart.
 */
export async function updateSchedule(
  db: Db,
  name: string,
  rawChanges: unknown,
  { now = new Date(), apps: appsEnv }: ScheduleWriteOptions = {},
): Promise<ScheduleView> {
  const changes: ScheduleChanges = parseInput(scheduleChanges, rawChanges, 'schedule');
  const row = await findSchedule(db, name);
  const scope = changes.scope ?? (row.scope as 'full' | 'apps');
  const apps = scope === 'full' ? [] : [...new Set(changes.apps ?? (JSON.parse(row.apps) as string[]))];
  if (!appsMatchScope({ scope, apps })) throw new AppError('invalid_input', APPS_MESSAGE, { fields: { apps: APPS_MESSAGE } });
  if (appsEnv && scope === 'apps' && changes.apps !== undefined) await assertAppsCanBeBackedUp(appsEnv, apps);
  const target = changes.target !== undefined ? await findTarget(db, changes.target) : null;
  if (
    changes.name !== undefined &&
    changes.name !== row.name &&
    (await db.schedule.findUnique({ where: { name: changes.name } }))
  )
    throw nameTaken(changes.name);
  const restartsCounting =
    (changes.cron !== undefined && changes.cron !== row.cron) || (changes.enabled === true && !row.enabled);
  try {
    const updated = await db.schedule.update({
      where: { id: row.id },
      data: {
        name: changes.name,
        cron: changes.cron,
        targetId: target?.id,
        scope,
        apps: JSON.stringify(apps),
        keepLast: changes.keepLast,
        keepDaily: changes.keepDaily,
        keepWeekly: changes.keepWeekly,
        enabled: changes.enabled,
        ...(restartsCounting ? { checkedUntil: now } : {}),
      },
      include: withTarget,
    });
    return toScheduleView(updated);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(changes.name ?? name);
    throw error;
  }
}

export function setScheduleEnabled(
  db: Db,
  name: string,
  enabled: boolean,
  options: ScheduleWriteOptions = {},
): Promise<ScheduleView> {
  return updateSchedule(db, name, { enabled }, options);
}

/**
 * Removes a schedule and its fire history. Its backups stay in the catalog (they are backups
 * like any other); jobs it already queued still run, without retention.
 */
export async function removeSchedule(db: Db, name: string): Promise<void> {
  const row = await findSchedule(db, name);
  await db.schedule.delete({ where: { id: row.id } });
}

/** The next `count` fire times of a schedule in the instance time zone, from `from`. */
export function scheduleNextRuns(schedule: Pick<Schedule, 'cron'>, count: number, timeZone: string, from = new Date()): Date[] {
  return nextRuns(schedule.cron, count, timeZone, from);
}

export interface ScheduleRunView {
  fireAt: string;
  status: 'queued' | 'missed' | 'skipped';
  jobId: string | null;
  message: string | null;
}

/** The schedule's recent fires, newest first: what ran, what was missed or skipped and why. */
export async function listScheduleRuns(db: Db, name: string, limit = 20): Promise<ScheduleRunView[]> {
  const schedule = await findSchedule(db, name);
  const rows = await db.scheduleRun.findMany({ where: { scheduleId: schedule.id }, orderBy: { fireAt: 'desc' }, take: limit });
  return rows.map((r) => ({
    fireAt: r.fireAt.toISOString(),
    status: r.status as ScheduleRunView['status'],
    jobId: r.jobId,
    message: r.message,
  }));
}
