import type { HealthHistory } from './health-history';
import type { healthLists } from './health-lists';
import type { HealthFinding } from './health-score';
import type { LastSuccesses } from './last-success';
import type { StalenessWarning } from './staleness';

const STALE_CODE = { schedule: 'stale_schedule', app: 'stale_app', target: 'stale_target' } as const;

/**
 * Every problem that weighs on the score, in a stable order. Failed backups and missed runs
 * weigh only while unresolved (nothing of theirs succeeded since); they stay listed either way.
 */
export function findHealthProblems(
  history: HealthHistory,
  last: LastSuccesses,
  staleness: StalenessWarning[],
  lists: ReturnType<typeof healthLists>,
): HealthFinding[] {
  const findings: HealthFinding[] = [];
  if (!last.overall)
    findings.push({ code: 'no_backup', message: 'No backup has completed yet: back up now.', fixPath: '/backups/new' });
  if (!history.schedules.some((s) => s.enabled))
    findings.push({
      code: 'no_schedule',
      message: 'No schedule is enabled: backups happen only when started by hand.',
      fixPath: '/schedules',
    });
  for (const entry of lists.failedVerifications)
    findings.push({ code: 'failed_verification', message: entry.message, fixPath: entry.fixPath });
  for (const warning of staleness)
    findings.push({ code: STALE_CODE[warning.kind], message: warning.message, fixPath: warning.fixPath });
  for (const entry of lists.targetsFailingTest)
    findings.push({ code: 'target_test_failed', message: entry.message, fixPath: entry.fixPath });
  for (const entry of lists.failedBackups.filter((b) => !b.resolved))
    findings.push({
      code: 'failed_backup',
      message: `A backup to "${entry.targetName}"${entry.scheduleName ? ` by the schedule "${entry.scheduleName}"` : ''} failed at ${entry.at}: ${entry.message}`,
      fixPath: entry.fixPath,
    });
  for (const entry of lists.missedRuns.filter((r) => !r.resolved))
    findings.push({
      code: 'missed_run',
      message: `The schedule "${entry.scheduleName}" missed its run at ${entry.fireAt}: ${entry.message}`,
      fixPath: entry.fixPath,
    });
  for (const entry of lists.unverified)
    findings.push({ code: 'unverified_target', message: entry.message, fixPath: entry.fixPath });
  return findings;
}
