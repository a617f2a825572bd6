import { HardDrive } from 'lucide-react';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { TargetsTable } from '@/components/targets/targets-table';
import { listTargets } from '@/lib/core/targets/targets';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Targets' };

export default async function TargetsPage() {
  await requirePageUser();
  const { db } = await getInstance();
  const targets = await listTargets(db);
  return (
    <>
      <PageHeader
        title="Targets"
        description="Where backups are stored: a local directory, S3-compatible storage or an SFTP server."
      />
      {targets.length === 0 ? (
        <EmptyState icon={HardDrive} title="No backup targets yet">
          Add one with <code>cloudos-backup targets add</code>.
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          <TargetsTable targets={targets} />
          <p className="text-sm text-muted-foreground">
            Adding, editing and testing targets from this page is coming; until then use{' '}
            <code>cloudos-backup targets add | test | remove</code>.
          </p>
        </div>
      )}
    </>
  );
}
