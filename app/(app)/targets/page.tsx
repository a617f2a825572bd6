import { HardDrive } from 'lucide-react';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Targets' };

export default async function TargetsPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Targets" />
      <EmptyState icon={HardDrive} title="No backup targets yet">
        Targets are where backups are stored: a local directory, S3-compatible storage or an SFTP server. Managing targets is not
        available in this version yet.
      </EmptyState>
    </>
  );
}
