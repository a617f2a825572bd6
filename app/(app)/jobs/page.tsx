import { JobsTable } from '@/components/jobs/jobs-table';
import { StartSelftestButton } from '@/components/jobs/start-selftest-button';
import { PageHeader } from '@/components/shell/page-header';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Jobs' };

export default async function JobsPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Backups, restores and checks running in the background."
        actions={<StartSelftestButton />}
      />
      <JobsTable />
    </>
  );
}
