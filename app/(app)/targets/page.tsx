import { HardDrive, Plus } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { TargetsManager } from '@/components/targets/targets-manager';
import { buttonVariants } from '@/components/ui/button';
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
        actions={
          <Link className={buttonVariants()} href="/targets/new">
            <Plus /> Add target
          </Link>
        }
      />
      {targets.length === 0 ? (
        <EmptyState icon={HardDrive} title="No backup targets yet">
          Add one to choose where backups go.
        </EmptyState>
      ) : (
        <TargetsManager targets={targets} />
      )}
    </>
  );
}
