import Link from 'next/link';
import { ScheduleActions } from '@/components/schedules/schedule-actions';
import { formatInstanceTime, retentionSummary, scopeSummary } from '@/components/schedules/schedule-format';
import { ScheduleHistoryTable } from '@/components/schedules/schedule-history-table';
import { PageHeader } from '@/components/shell/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { previewScheduleRetention } from '@/lib/core/retention/retention-preview';
import { scheduleHistory } from '@/lib/core/schedules/schedule-overview';
import { scheduleNextRuns } from '@/lib/core/schedules/schedules';
import { getInstance } from '@/lib/server/instance';
import { instanceTimeZone } from '@/lib/server/instance-time-zone';
import { scheduleViewOrNotFound } from '@/lib/server/schedule-or-not-found';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Schedule' };

export default async function SchedulePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const schedule = await scheduleViewOrNotFound(db, id);
  const timeZone = await instanceTimeZone(db);
  const nextRuns = schedule.enabled ? scheduleNextRuns(schedule, 5, timeZone) : [];
  const history = await scheduleHistory(db, schedule.id, 50);
  const row = await db.schedule.findUniqueOrThrow({ where: { id } });
  const retention = await previewScheduleRetention(db, row, { timeZone, nextRunAt: nextRuns[0] ?? new Date() });
  const keptNow = retention.rows.filter((r) => r.now.action === 'keep').length;
  const goingNext = retention.rows.filter((r) => r.afterNextRun === 'delete').length;
  return (
    <>
      <PageHeader
        title={schedule.name}
        description={`${schedule.description} · ${scopeSummary(schedule)} → ${schedule.target.name}`}
        actions={
          <Link className="text-sm text-primary hover:underline" href="/schedules">
            All schedules
          </Link>
        }
      />
      <div className="grid gap-4">
        <ScheduleActions schedule={schedule} />
        <div className="grid gap-4 md:grid-cols-2">
          <Card aria-label="Schedule details">
            <CardHeader>
              <CardTitle className="flex items-center gap-2">
                Details {schedule.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="warning">disabled</Badge>}
              </CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                <dt className="text-muted-foreground">When</dt>
                <dd>
                  {schedule.description} <code className="text-xs text-muted-foreground">{schedule.cron}</code>
                </dd>
                <dt className="text-muted-foreground">What</dt>
                <dd>{scopeSummary(schedule)}</dd>
                <dt className="text-muted-foreground">Target</dt>
                <dd>{schedule.target.name}</dd>
                <dt className="text-muted-foreground">Retention</dt>
                <dd>
                  {retentionSummary(schedule)}
                  {retention.targetRules.map((t) => (
                    <span key={t.name} className="block text-xs text-muted-foreground">
                      Target “{t.name}” keeps its last {t.keepLast} across all its backups.
                    </span>
                  ))}
                </dd>
                <dt className="text-muted-foreground">Time zone</dt>
                <dd>{timeZone}</dd>
              </dl>
            </CardContent>
          </Card>
          <Card aria-label="Next runs">
            <CardHeader>
              <CardTitle>Next runs</CardTitle>
              <CardDescription>In {timeZone}.</CardDescription>
            </CardHeader>
            <CardContent>
              {nextRuns.length === 0 ? (
                <p className="text-sm text-muted-foreground">Disabled: it does not run until it is enabled again.</p>
              ) : (
                <ol className="grid gap-0.5 text-sm">
                  {nextRuns.map((run) => (
                    <li key={run.toISOString()}>
                      <time dateTime={run.toISOString()}>{formatInstanceTime(run, timeZone)}</time>
                    </li>
                  ))}
                </ol>
              )}
            </CardContent>
          </Card>
        </div>
        <Card aria-label="Retention">
          <CardHeader>
            <CardTitle>Retention</CardTitle>
            <CardDescription>
              {retention.rows.length === 0
                ? 'No successful backups of this schedule yet.'
                : `${retention.rows.length} successful backup${retention.rows.length === 1 ? '' : 's'}: ${keptNow} kept now; ${goingNext} would be deleted after the next run.`}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Link className="text-sm text-primary hover:underline" href={`/schedules/${schedule.id}/retention`}>
              Retention preview: which backups are kept, and why
            </Link>
          </CardContent>
        </Card>
        <Card aria-label="History">
          <CardHeader>
            <CardTitle>History</CardTitle>
            <CardDescription>
              Every time it was due or run by hand, newest first — including runs missed or skipped.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {history.length === 0 ? (
              <p className="text-sm text-muted-foreground">It has not been due yet.</p>
            ) : (
              <ScheduleHistoryTable entries={history} timeZone={timeZone} />
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
