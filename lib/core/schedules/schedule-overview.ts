import { backupChoices } from '../backup/request-backup';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { JobStatus } from '../jobs/job-types';
import { CRON_PRESETS } from './cron';
import { describeCron } from './describe-cron';
import { expandCron } from './schedule-input';
import { type ScheduleView, scheduleNextRuns, toScheduleView } from './schedules';

/** One entry of a schedule's history: a fire of the scheduler, or a "run now". */
export interface ScheduleHistoryEntry {
  at: string;
  kind: 'fire' | 'run-now';
  /** A fire that queued a backup (or a run now) shows its job's status; missed and skipped ones ran nothing. */
  status: 'missed' | 'skipped' | JobStatus;
  job: { id: string; status: JobStatus; errorMessage: string | null } | null;
  message: string | null;
}

export interface ScheduleOverview extends ScheduleView {
  /** The next fire time, or null while the schedule is disabled. */
  nextRun: string | null;
  last: ScheduleHistoryEntry | null;
}

const withTarget = { target: { select: { id: true, name: true } } } as const;

async function jobsById(db: Db, ids: string[]) {
  const jobs = await db.job.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, errorMessage: true } });
  return new Map(jobs.map((j) => [j.id, { id: j.id, status: j.status as JobStatus, errorMessage: j.errorMessage }]));
}

/**
 * The schedule's recent history, newest first: every fire (queued, missed or skipped, with
 * why) and every "run now", each with the outcome of the backup job it queued.
 */
export async function scheduleHistory(db: Db, scheduleId: string, limit = 50): Promise<ScheduleHistoryEntry[]> {
  const [fires, runNows] = await Promise.all([
    db.scheduleRun.findMany({ where: { scheduleId }, orderBy: { fireAt: 'desc' }, take: limit }),
    db.job.findMany({
      where: { uniqueKey: { startsWith: `schedule:${scheduleId}:now:` } },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { id: true, status: true, errorMessage: true, createdAt: true },
    }),
  ]);
  const jobs = await jobsById(
    db,
    fires.map((f) => f.jobId).filter((id): id is string => id !== null),
  );
  const entries: ScheduleHistoryEntry[] = [
    ...fires.map((f) => {
      const job = f.jobId ? (jobs.get(f.jobId) ?? null) : null;
      const status: ScheduleHistoryEntry['status'] =
        f.status === 'missed' || f.status === 'skipped' ? f.status : (job?.status ?? 'queued');
      return { at: f.fireAt.toISOString(), kind: 'fire' as const, status, job, message: f.message };
    }),
    ...runNows.map((j) => ({
      at: j.createdAt.toISOString(),
      kind: 'run-now' as const,
      status: j.status as JobStatus,
      job: { id: j.id, status: j.status as JobStatus, errorMessage: j.errorMessage },
      message: null,
    })),
  ];
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}

/** Every schedule with its next run (in `timeZone`) and the outcome of its latest fire or run. */
export async function listScheduleOverviews(db: Db, timeZone: string, now = new Date()): Promise<ScheduleOverview[]> {
  const rows = await db.schedule.findMany({ orderBy: { name: 'asc' }, include: withTarget });
  return Promise.all(
    rows.map(async (row) => ({
      ...toScheduleView(row),
      nextRun: row.enabled ? (scheduleNextRuns(row, 1, timeZone, now)[0]?.toISOString() ?? null) : null,
      last: (await scheduleHistory(db, row.id, 1))[0] ?? null,
    })),
  );
}

/** One schedule by its id (the web UI's addresses use ids; names can change). */
export async function getScheduleView(db: Db, id: string): Promise<ScheduleView> {
  const row = await db.schedule.findUnique({ where: { id }, include: withTarget });
  if (!row) throw new AppError('not_found', 'There is no such schedule.');
  return toScheduleView(row);
}

export interface CronPreview {
  /** The expression as stored (a preset name expanded). */
  cron: string;
  description: string;
  nextRuns: Date[];
  /** The preset this expression is, if any. */
  preset: keyof typeof CRON_PRESETS | null;
}

/**
 * What a cron expression typed into a form means: its plain-language description and next
 * `count` fire times in the instance time zone. Invalid input throws invalid_input with the
 * reason (field `cron`), exactly as saving it would.
 */
export function previewCron(expression: unknown, timeZone: string, now = new Date(), count = 5): CronPreview {
  if (typeof expression !== 'string' || expression.trim() === '') {
    const message = 'Enter a cron expression or choose a preset.';
    throw new AppError('invalid_input', message, { fields: { cron: message } });
  }
  const cron = expandCron(expression);
  const nextRuns = scheduleNextRuns({ cron }, count, timeZone, now);
  const preset = (Object.keys(CRON_PRESETS) as (keyof typeof CRON_PRESETS)[]).find((p) => CRON_PRESETS[p] === cron) ?? null;
  return { cron, description: describeCron(cron), nextRuns, preset };
}

export interface ScheduleFormChoices {
  apps: { id: string; error: string | null }[];
  targets: { name: string; kind: string; isDefault: boolean; keepLast: number | null }[];
}

/** What a schedule form offers: the apps (broken ones with their reason) and the targets with their own "keep last". */
export async function scheduleFormChoices(db: Db, env: { appsDir: string; dockerBin: string }): Promise<ScheduleFormChoices> {
  const { apps, targets } = await backupChoices(db, env);
  const keepLast = new Map(
    (await db.target.findMany({ select: { name: true, keepLast: true } })).map((t) => [t.name, t.keepLast]),
  );
  return { apps, targets: targets.map((t) => ({ ...t, keepLast: keepLast.get(t.name) ?? null })) };
}
