import { Play } from 'lucide-react';
import Link from 'next/link';
import { ActiveBackupCard } from '@/components/backups/active-backup-card';
import { LastBackupsCard } from '@/components/backups/last-backups-card';
import { PageHeader } from '@/components/shell/page-header';
import { WorkerStatusCard } from '@/components/shell/worker-status-card';
import { buttonVariants } from '@/components/ui/button';
import { lastSuccessfulBackups } from '@/lib/core/backup/catalog';
import { getInstanceHealth } from '@/lib/core/health/get-instance-health';
import { findActiveJob } from '@/lib/core/jobs/list-jobs';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  await requirePageUser();
  const { db } = await getInstance();
  const [health, last, active] = await Promise.all([
    getInstanceHealth(db),
    lastSuccessfulBackups(db),
    findActiveJob(db, 'backup'),
  ]);
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
        <ActiveBackupCard job={active} />
        <WorkerStatusCard health={health} />
        <LastBackupsCard
          title="Last backup per app"
          description="The newest successful backup holding each app."
          entries={last.perApp}
          emptyText="No app has been backed up successfully yet."
        />
        <LastBackupsCard
          title="Last backup per target"
          description="The newest successful backup stored on each target."
          entries={last.perTarget}
          emptyText="No backup has been stored successfully yet."
        />
      </div>
    </>
  );
}
