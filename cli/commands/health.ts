import { parseArgs } from 'node:util';
import { getEnv } from '../../lib/core/env';
import { type BackupRef, getBackupHealth } from '../../lib/core/health/backup-health';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { readTimeZone } from '../../lib/core/schedules/time-zone-setting';
import { formatDuration } from '../../lib/core/util/format-duration';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';

function when(ref: BackupRef | null, now: Date): string {
  if (!ref) return 'never';
  return `${formatDuration(now.getTime() - new Date(ref.at).getTime())} ago (${ref.backupId.slice(0, 8)} on "${ref.targetName}")`;
}

/** `health [--json]`: the backup health summary and score (docs/VERIFICATION.md). Exit 0 whatever the score. */
export async function runHealth(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { db } = await prepareInstance();
  const { appsDir } = getEnv();
  const timeZone = await readTimeZone(db, getEnv().timeZone);
  const now = new Date();
  const health = await getBackupHealth(db, { now, timeZone, appsDir });
  if (values.json) {
    printJson(health);
    return 0;
  }
  printLine(`Backup health: ${health.score}/100 (${health.grade})`);
  if (health.reasons.length > 0) {
    printLine();
    printLine(
      formatTable([['WEIGHT', 'REASON', 'FIX AT'], ...health.reasons.map((r) => [`-${r.weight}`, r.message, r.fixPath])]),
    );
  }
  printLine();
  const last = health.lastSuccess;
  printLine(
    formatTable([
      ['LAST SUCCESSFUL BACKUP', 'WHEN'],
      ['overall', when(last.overall, now)],
      ...last.perApp.map((a) => [`app ${a.app}`, when(a.last, now)]),
      ...last.perTarget.map((t) => [`target ${t.name}`, when(t.last, now)]),
      ...last.perSchedule.map((s) => [`schedule ${s.name}${s.enabled ? '' : ' (disabled)'}`, when(s.last, now)]),
    ]),
  );
  if (health.nextRuns.length > 0) {
    printLine();
    printLine(formatTable([['SCHEDULE', 'NEXT RUN'], ...health.nextRuns.map((r) => [r.name, r.nextAt])]));
  }
  return 0;
}
