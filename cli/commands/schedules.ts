import { parseArgs } from 'node:util';
import { cleanUpTarget } from '../../lib/core/cleanup/clean-up-target';
import type { Db } from '../../lib/core/db/client';
import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { planScheduleRetention, reasonsText } from '../../lib/core/retention/apply-retention';
import { reasonLabel } from '../../lib/core/retention/retention';
import { parseGraceMinutes, readGraceMs, writeGraceMinutes } from '../../lib/core/schedules/grace-setting';
import { queueScheduleNow } from '../../lib/core/schedules/run-schedule-now';
import {
  createSchedule,
  findSchedule,
  listSchedules,
  removeSchedule,
  scheduleNextRuns,
} from '../../lib/core/schedules/schedules';
import { parseTimeZone, readTimeZone, writeTimeZone } from '../../lib/core/schedules/time-zone-setting';
import { findTarget } from '../../lib/core/targets/targets';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';
import { runJobHere } from '../run-job-here';

function keep(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number of 0 or more`);
  return Number(value);
}

/** The instance time zone: the stored setting, else TZ. */
function instanceTimeZone(db: Db): Promise<string> {
  return readTimeZone(db, getEnv().timeZone);
}

/** A wall-clock time in the instance zone, e.g. "2026-11-28 02:00 (Europe/Berlin)". */
function localTime(date: Date, timeZone: string): string {
  return date.toLocaleString('sv-SE', { timeZone, hour12: false }).slice(0, 16);
}

async function add(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cron: { type: 'string' },
      target: { type: 'string' },
      full: { type: 'boolean', default: false },
      apps: { type: 'string' },
      'keep-last': { type: 'string' },
      'keep-daily': { type: 'string' },
      'keep-weekly': { type: 'string' },
      disabled: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const [name, extra] = positionals;
  if (!name) throw new UsageError('missing schedule NAME');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (!values.cron) throw new UsageError('--cron EXPR is required (or a preset: hourly, daily, weekly, monthly)');
  if (!values.target) throw new UsageError('--target NAME is required (see: cloudos-backup targets list)');
  if (values.full === (values.apps !== undefined)) throw new UsageError('give exactly one of --full or --apps a,b');
  const apps = (values.apps ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const { db } = await prepareInstance();
  const schedule = await createSchedule(
    db,
    {
      name,
      cron: values.cron,
      target: values.target,
      scope: values.full ? 'full' : 'apps',
      apps,
      keepLast: keep(values['keep-last'], '--keep-last'),
      keepDaily: keep(values['keep-daily'], '--keep-daily'),
      keepWeekly: keep(values['keep-weekly'], '--keep-weekly'),
      enabled: !values.disabled,
    },
    { apps: getEnv() },
  );
  if (values.json) printJson(schedule);
  else printLine(`Schedule "${schedule.name}" added: ${schedule.description} (${schedule.cron}) to ${schedule.target.name}.`);
  return 0;
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, strict: true });
  const { db } = await prepareInstance();
  const timeZone = await instanceTimeZone(db);
  const now = new Date();
  const schedules = (await listSchedules(db)).map((s) => ({
    ...s,
    timeZone,
    nextRuns: s.enabled ? scheduleNextRuns(s, 5, timeZone, now).map((d) => d.toISOString()) : [],
  }));
  if (values.json) {
    printJson(schedules);
    return 0;
  }
  if (schedules.length === 0) {
    printLine('No schedules yet. Add one with: cloudos-backup schedules add NAME --cron daily --target T --full');
    return 0;
  }
  const policy = (s: (typeof schedules)[number]) =>
    [
      s.keepLast !== null && `last ${s.keepLast}`,
      s.keepDaily !== null && `daily ${s.keepDaily}`,
      s.keepWeekly !== null && `weekly ${s.keepWeekly}`,
    ]
      .filter(Boolean)
      .join(', ') || 'keep all';
  const rows = schedules.map((s) => [
    s.name,
    s.enabled ? s.description : `(disabled) ${s.description}`,
    s.target.name,
    s.scope === 'full' ? 'full' : s.apps.join(','),
    policy(s),
    s.nextRuns[0] ? localTime(new Date(s.nextRuns[0]), timeZone) : '',
  ]);
  printLine(formatTable([['NAME', 'WHEN', 'TARGET', 'SCOPE', 'RETENTION', `NEXT RUN (${timeZone})`], ...rows]));
  return 0;
}

async function remove(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {}, strict: true });
  const [name] = positionals;
  if (!name) throw new UsageError('missing schedule NAME');
  const { db } = await prepareInstance();
  await removeSchedule(db, name);
  printLine(`Schedule "${name}" removed; its backups stay in the catalog.`);
  return 0;
}

async function runNow(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  const [name] = positionals;
  if (!name) throw new UsageError('missing schedule NAME');
  const { db } = await prepareInstance();
  const job = await runJobHere(db, (await queueScheduleNow(db, name, { createdBy: 'cli' })).id);
  const result = job.result as { backupId?: string; retention?: { deleted: string[] } | null } | null;
  if (values.json) printJson({ status: job.status, jobId: job.id, ...result, error: job.errorMessage ?? undefined });
  else if (job.status === 'succeeded')
    printLine(`Backup ${result?.backupId} stored; retention deleted ${result?.retention?.deleted.length ?? 0} backups.`);
  else process.stderr.write(`cloudos-backup: backup ${job.status}: ${job.errorMessage ?? 'no reason recorded'}\n`);
  return job.status === 'succeeded' ? 0 : 1;
}

/** `schedules settings [--time-zone TZ] [--grace-minutes N]`: shows, or changes, both. */
async function settings(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'time-zone': { type: 'string' },
      'grace-minutes': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const grace = values['grace-minutes'];
  if (grace !== undefined && !/^\d+$/.test(grace)) throw new UsageError('--grace-minutes must be a whole number of 0 or more');
  const { db } = await prepareInstance();
  // Both are checked before either is stored: a bad value changes nothing.
  const timeZone = values['time-zone'] === undefined ? undefined : parseTimeZone(values['time-zone']);
  const minutes = grace === undefined ? undefined : parseGraceMinutes(Number(grace));
  if (minutes !== undefined) await writeGraceMinutes(db, minutes);
  if (timeZone !== undefined) await writeTimeZone(db, timeZone);
  const current = { timeZone: await instanceTimeZone(db), graceMinutes: (await readGraceMs(db)) / 60_000 };
  if (values.json) printJson(current);
  else printLine(`Time zone: ${current.timeZone}. Grace window for missed runs: ${current.graceMinutes} min.`);
  return 0;
}

/** `schedules add|list|run|remove|settings`. */
export async function runSchedules(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') return add(rest);
  if (sub === 'list') return list(rest);
  if (sub === 'run') return runNow(rest);
  if (sub === 'remove') return remove(rest);
  if (sub === 'settings') return settings(rest);
  throw new UsageError(
    sub ? `unknown schedules command "${sub}"` : 'missing schedules command (add, list, run, remove, settings)',
  );
}

/** `retention preview NAME [--json]`: what the schedule's policy keeps and would delete next, and why. */
export async function runRetention(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'preview') throw new UsageError(sub ? `unknown retention command "${sub}"` : 'missing retention command (preview)');
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  const [name] = positionals;
  if (!name) throw new UsageError('missing schedule NAME');
  const { db } = await prepareInstance();
  const timeZone = await instanceTimeZone(db);
  const { decisions } = await planScheduleRetention(db, await findSchedule(db, name), timeZone);
  const targets = new Map((await db.target.findMany({ select: { id: true, name: true } })).map((t) => [t.id, t.name]));
  const view = decisions.map((d) => ({
    id: d.id,
    startedAt: d.startedAt.toISOString(),
    target: targets.get(d.backup.targetId) ?? null,
    action: d.action,
    reasons: d.reasons.map(reasonLabel),
  }));
  if (values.json) {
    printJson({ schedule: name, timeZone, backups: view });
    return 0;
  }
  if (view.length === 0) {
    printLine(`The schedule "${name}" has no successful backups yet.`);
    return 0;
  }
  const rows = decisions.map((d) => [d.id.slice(0, 12), localTime(d.startedAt, timeZone), d.action, reasonsText(d)]);
  printLine(formatTable([['ID', `STARTED (${timeZone})`, 'ACTION', 'KEPT BY'], ...rows]));
  return 0;
}

/** `cleanup [--target NAME] [--json]`: removes what failed and interrupted uploads left on the targets now. */
export async function runCleanup(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { target: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const { db, instanceKey } = await prepareInstance();
  const targets = values.target ? [await findTarget(db, values.target)] : await db.target.findMany({ orderBy: { name: 'asc' } });
  const report = [];
  let failed = false;
  for (const target of targets) {
    try {
      const outcome = await cleanUpTarget(db, instanceKey, target.id, { log: (m) => (values.json ? undefined : printLine(m)) });
      report.push({ target: target.name, ok: true, ...outcome });
      if (!values.json)
        printLine(
          `${target.name}: ${outcome.failedCleaned.length} failed backups checked, ${outcome.partialsRemoved.length} partial uploads and ${outcome.orphansRemoved.length} uploads without a manifest removed, ${outcome.deletionsFinished.length} deletions finished, ${outcome.partialsKept.length} partial uploads kept (running or recent).`,
        );
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      report.push({ target: target.name, ok: false, error: message });
      if (!values.json) process.stderr.write(`cloudos-backup: ${target.name}: ${message}\n`);
    }
  }
  if (values.json) printJson(report);
  return failed ? 1 : 0;
}
