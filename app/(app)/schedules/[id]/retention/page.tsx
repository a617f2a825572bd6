import { Archive } from 'lucide-react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RetentionPreviewTable } from '@/components/schedules/retention-preview-table';
import { formatInstanceTime, retentionSummary } from '@/components/schedules/schedule-format';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { Alert } from '@/components/ui/alert';
import { previewScheduleRetention } from '@/lib/core/retention/retention-preview';
import { scheduleNextRuns } from '@/lib/core/schedules/schedules';
import { getInstance } from '@/lib/server/instance';
import { instanceTimeZone } from '@/lib/server/instance-time-zone';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Retention preview' };

export default async function RetentionPreviewPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const schedule = await db.schedule.findUnique({ where: { id } });
  if (!schedule) notFound();
  const timeZone = await instanceTimeZone(db);
  const nextRunAt = schedule.enabled ? (scheduleNextRuns(schedule, 1, timeZone)[0] ?? new Date()) : new Date();
  const preview = await previewScheduleRetention(db, schedule, { timeZone, nextRunAt });
  const goingNext = preview.rows.filter((r) => r.afterNextRun === 'delete').length;
  return (
    <>
      <PageHeader
        title={`Retention of “${schedule.name}”`}
        description={`${retentionSummary(schedule)}${preview.targetRules.map((t) => ` · target “${t.name}” keeps its last ${t.keepLast}`).join('')}`}
        actions={
          <Link className="text-sm text-primary hover:underline" href={`/schedules/${schedule.id}`}>
            Back to the schedule
          </Link>
        }
      />
      <div className="grid gap-4">
        <Alert tone="info">
          Retention runs after each successful backup of this schedule. A backup stays while any rule keeps it; the newest of the
          schedule (and of a target that keeps its last N), and backups a restore or verification is using, always stay. “After
          the next run” assumes the next backup succeeds{' '}
          {schedule.enabled ? `at ${formatInstanceTime(nextRunAt, timeZone)}` : 'now'}
          {goingNext > 0
            ? `: ${goingNext} backup${goingNext === 1 ? '' : 's'} would then be deleted.`
            : ': nothing would be deleted.'}
        </Alert>
        {preview.rows.length === 0 ? (
          <EmptyState icon={Archive} title="No backups of this schedule yet">
            Once it has run, each of its successful backups is listed here with the rules that keep it.
          </EmptyState>
        ) : (
          <RetentionPreviewTable rows={preview.rows} timeZone={timeZone} />
        )}
      </div>
    </>
  );
}
