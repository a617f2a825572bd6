import { Play } from 'lucide-react';
import Link from 'next/link';
import { ActiveBackupCard } from '@/components/backups/active-backup-card';
import { HealthScoreCard } from '@/components/health/health-score-card';
import { LastSuccessCard } from '@/components/health/last-success-card';
import { NextRunsCard } from '@/components/health/next-runs-card';
import { RecentFailuresCard } from '@/components/health/recent-failures-card';
import { PageHeader } from '@/components/shell/page-header';
import { WorkerStatusCard } from '@/components/shell/worker-status-card';
import { buttonVariants } from '@/components/ui/button';
import { getEnv } from '@/lib/core/env';
import { getBackupHealth } from '@/lib/core/health/backup-health';
import { getInstanceHealth } from '@/lib/core/health/get-instance-health';
import type { StalenessWarning } from '@/lib/core/health/staleness';
import { findActiveJob } from '@/lib/core/jobs/list-jobs';
import { readTimeZone } from '@/lib/core/schedules/time-zone-setting';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  await requirePageUser();
  const { db } = await getInstance();
  const env = getEnv();
  // Schedules' next runs and intervals are read in the instance time zone, as the worker fires them.
  const timeZone = await readTimeZone(db, env.timeZone);
  const now = new Date();
  const [instance, health, active] = await Promise.all([
    getInstanceHealth(db),
    getBackupHealth(db, { now, timeZone, appsDir: env.appsDir }),
    findActiveJob(db, 'backup'),
  ]);
  const staleBy = (kind: StalenessWarning['kind'], id: string) =>
    health.staleness.find((w) => w.kind === kind && w.id === id)?.message;
  const { lastSuccess } = health;
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="The state of your backups at a glance."
        actions={
          <Link className={buttonVariants()} href="/backups/new">
            <Play /> Backup now
          </Link>
        }
      />
      <div className="grid gap-4 md:grid-cols-2">
        <HealthScoreCard health={health} now={now.getTime()} />
        <ActiveBackupCard job={active} />
        <WorkerStatusCard health={instance} />
        <LastSuccessCard
          title="Last backup per app"
          description="The newest successful backup holding each app."
          rows={lastSuccess.perApp.map((a) => ({ key: a.app, label: a.app, last: a.last, stale: staleBy('app', a.app) }))}
          emptyText="No app is installed or backed up yet."
          now={now.getTime()}
        />
        <LastSuccessCard
          title="Last backup per target"
          description="The newest successful backup stored on each target."
          rows={lastSuccess.perTarget.map((t) => ({
            key: t.targetId,
            label: t.name,
            last: t.last,
            stale: staleBy('target', t.targetId),
          }))}
          emptyText="No target is set up yet."
          now={now.getTime()}
        />
        <LastSuccessCard
          title="Last backup per schedule"
          description="The newest successful backup each schedule made."
          rows={lastSuccess.perSchedule.map((s) => ({
            key: s.scheduleId,
            label: s.name,
            note: s.enabled ? undefined : '(disabled)',
            last: s.last,
            stale: staleBy('schedule', s.scheduleId),
          }))}
          emptyText="No schedule yet: backups happen only when started by hand."
          now={now.getTime()}
        />
        <NextRunsCard runs={health.nextRuns} now={now.getTime()} />
        <div className="min-w-0 md:col-span-2">
          <RecentFailuresCard failures={health.recentFailures} now={now.getTime()} />
        </div>
      </div>
    </>
  );
}
