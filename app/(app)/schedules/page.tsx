import { Calendar } from 'lucide-react';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Schedules' };

export default async function SchedulesPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Schedules" />
      <EmptyState icon={Calendar} title="No schedules yet">
        Schedules run backups automatically with cron expressions and keep-last / daily / weekly retention. Scheduling is not
        available in this version yet.
      </EmptyState>
    </>
  );
}
