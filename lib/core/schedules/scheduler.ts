import type { Db } from '../db/client';
import type { Schedule } from '../generated/prisma/client';
import { enqueueJob } from '../jobs/enqueue-job';
import { firesBetween } from './cron';

export const DEFAULT_GRACE_MS = 60 * 60 * 1000;
/** Per schedule and tick: a minute schedule on a worker down for weeks records only the newest fires. */
const MAX_FIRES_PER_TICK = 100;
/** Fire records kept per schedule: enough history for the UI, bounded for a minute schedule. */
export const KEPT_FIRE_RECORDS = 1000;

export type FireStatus = 'queued' | 'missed' | 'skipped';

export interface FireRecord {
  scheduleId: string;
  fireAt: Date;
  status: FireStatus;
  jobId: string | null;
}

export interface TickOptions {
  now: Date;
  /** The instance time zone: cron expressions are wall-clock times there. */
  timeZone: string;
  /** A fire this late or less still runs (the worker was down or busy); older ones are missed. */
  graceMs?: number;
}

export interface TickResult {
  fires: FireRecord[];
  /** Schedules that could not be handled (e.g. a hand-edited invalid cron); the others still were. */
  errors: { scheduleId: string; error: unknown }[];
}

/** The job key of one fire: at most one job per (schedule, fire time), whoever enqueues it. */
export function fireJobKey(scheduleId: string, fireAt: Date): string {
  return `schedule:${scheduleId}:${fireAt.toISOString()}`;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'P2002';
}

/** Records a fire once; false when another scheduler already recorded it. */
async function recordFire(db: Db, fire: FireRecord, message: string | null): Promise<boolean> {
  try {
    await db.scheduleRun.create({
      data: { scheduleId: fire.scheduleId, fireAt: fire.fireAt, status: fire.status, jobId: fire.jobId, message },
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** A job of this schedule, other than this fire's own, that is still queued or running. */
export async function previousRunActive(db: Db, scheduleId: string, ownKey: string): Promise<boolean> {
  const active = await db.job.findFirst({
    where: {
      status: { in: ['queued', 'running'] },
      uniqueKey: { startsWith: `schedule:${scheduleId}:` },
      NOT: { uniqueKey: ownKey },
    },
    select: { id: true },
  });
  return active !== null;
}

/** Enqueues the backup of one fire, or finds the job another scheduler (or a crashed tick) enqueued. */
async function enqueueFire(db: Db, schedule: Schedule & { target: { name: string } }, key: string): Promise<string> {
  const existing = await db.job.findUnique({ where: { uniqueKey: key }, select: { id: true } });
  if (existing) return existing.id;
  const payload = {
    target: schedule.target.name,
    scope: schedule.scope,
    apps: JSON.parse(schedule.apps) as string[],
    scheduleId: schedule.id,
  };
  try {
    return (await enqueueJob(db, 'backup', payload, { uniqueKey: key, createdBy: `schedule:${schedule.name}` })).id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await db.job.findUnique({ where: { uniqueKey: key }, select: { id: true } });
    if (!raced) throw error;
    return raced.id;
  }
}

async function pruneFireRecords(db: Db, scheduleId: string): Promise<void> {
  const oldestKept = await db.scheduleRun.findFirst({
    where: { scheduleId },
    orderBy: { fireAt: 'desc' },
    skip: KEPT_FIRE_RECORDS - 1,
    select: { fireAt: true },
  });
  if (oldestKept) await db.scheduleRun.deleteMany({ where: { scheduleId, fireAt: { lt: oldestKept.fireAt } } });
}

async function tickSchedule(
  db: Db,
  schedule: Schedule & { target: { name: string } },
  { now, timeZone, graceMs }: Required<TickOptions>,
): Promise<FireRecord[]> {
  const fires = firesBetween(schedule.cron, timeZone, schedule.checkedUntil, now, MAX_FIRES_PER_TICK);
  const latest = fires.at(-1);
  if (!latest) return [];
  const recorded: FireRecord[] = [];
  const record = async (fire: FireRecord, message: string | null) => {
    if (await recordFire(db, fire, message)) recorded.push(fire);
  };
  for (const fireAt of fires.slice(0, -1))
    await record(
      { scheduleId: schedule.id, fireAt, status: 'missed', jobId: null },
      'A later fire time came before this one ran.',
    );

  const base = { scheduleId: schedule.id, fireAt: latest };
  const key = fireJobKey(schedule.id, latest);
  if (now.getTime() - latest.getTime() > graceMs) {
    const minutes = Math.round(graceMs / 60_000);
    await record({ ...base, status: 'missed', jobId: null }, `The worker was not running within ${minutes} min of this time.`);
  } else if (await previousRunActive(db, schedule.id, key)) {
    await record({ ...base, status: 'skipped', jobId: null }, 'The previous run of this schedule was still going.');
  } else {
    await record({ ...base, status: 'queued', jobId: await enqueueFire(db, schedule, key) }, null);
  }
  await pruneFireRecords(db, schedule.id);
  // Only moves forward: a slower concurrent tick never takes back what a faster one handled.
  await db.schedule.updateMany({
    where: { id: schedule.id, checkedUntil: { lt: now } },
    data: { checkedUntil: now, lastFireAt: latest },
  });
  return recorded;
}

/**
 * One pass of the scheduler (DESIGN.md §3): for every enabled schedule, the fire times since
 * it was last checked up to `now`. The latest one runs if it is within the grace window, unless
 * the schedule's previous run is still queued or running (then it is skipped); all others are
 * recorded as missed. Unique keys on the job and on the fire record make this safe to run in
 * several workers at once and again after a crash. Schedules are read afresh on every tick,
 * so edits apply without a restart.
 */
export async function tickScheduler(db: Db, options: TickOptions): Promise<TickResult> {
  const resolved = { ...options, graceMs: options.graceMs ?? DEFAULT_GRACE_MS };
  const schedules = await db.schedule.findMany({ where: { enabled: true }, include: { target: { select: { name: true } } } });
  const result: TickResult = { fires: [], errors: [] };
  for (const schedule of schedules) {
    try {
      result.fires.push(...(await tickSchedule(db, schedule, resolved)));
    } catch (error) {
      result.errors.push({ scheduleId: schedule.id, error });
    }
  }
  return result;
}
