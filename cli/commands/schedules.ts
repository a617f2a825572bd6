import { parseArgs } from 'node:util';
import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { planScheduleRetention } from '../../lib/core/retention/schedule-retention';
import { queueScheduleNow } from '../../lib/core/schedules/run-schedule-now';
import {
  createSchedule,
  findSchedule,
  listSchedules,
  removeSchedule,
  scheduleNextRuns,
} from '../../lib/core/schedules/schedules';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';
import { runJobHere } from '../run-job-here';

function keep(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number of 0 or more`);
  return Number(value);
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
  const { timeZone } = getEnv();
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

/** `schedules add|list|run|remove`. */
export async function runSchedules(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') return add(rest);
  if (sub === 'list') return list(rest);
  if (sub === 'run') return runNow(rest);
  if (sub === 'remove') return remove(rest);
  throw new UsageError(sub ? `unknown schedules command "${sub}"` : 'missing schedules command (add, list, run, remove)');
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
  const { timeZone } = getEnv();
  const { decisions } = await planScheduleRetention(db, await findSchedule(db, name), timeZone);
  const view = decisions.map((d) => ({ id: d.id, startedAt: d.startedAt.toISOString(), action: d.action, reasons: d.reasons }));
  if (values.json) {
    printJson({ schedule: name, timeZone, backups: view });
    return 0;
  }
  if (view.length === 0) {
    printLine(`The schedule "${name}" has no successful backups yet.`);
    return 0;
  }
  const rows = decisions.map((d) => [d.id.slice(0, 12), localTime(d.startedAt, timeZone), d.action, d.reasons.join(', ')]);
  printLine(formatTable([['ID', `STARTED (${timeZone})`, 'ACTION', 'KEPT BY'], ...rows]));
  return 0;
}
