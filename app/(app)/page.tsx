import { Archive } from 'lucide-react';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { WorkerStatusCard } from '@/components/shell/worker-status-card';
import { getInstanceHealth } from '@/lib/core/health/get-instance-health';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  await requirePageUser();
  const { db } = await getInstance();
  const health = await getInstanceHealth(db);
  return (
    <>
      <PageHeader title="Dashboard" description="The state of your backups at a glance." />
      <div className="grid gap-4">
        <WorkerStatusCard health={health} />
        <EmptyState icon={Archive} title="No backups yet">
          Backups of your apps will be listed here with their health, once backup targets and backups are available in this
          version.
        </EmptyState>
      </div>
    </>
  );
}
