import { Archive } from 'lucide-react';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Backups' };

export default async function BackupsPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Backups" />
      <EmptyState icon={Archive} title="No backups yet">
        Your backups — full system or chosen apps — will be listed here with their size, checksum and status. Taking backups
        arrives with the backup feature; nothing has been backed up by this instance yet.
      </EmptyState>
    </>
  );
}
