import { HardDrive } from 'lucide-react';
import Link from 'next/link';
import { BackupNowForm } from '@/components/backups/backup-now-form';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { backupChoices } from '@/lib/core/backup/request-backup';
import { getEnv } from '@/lib/core/env';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Backup now' };

export default async function BackupNowPage() {
  await requirePageUser();
  const { db } = await getInstance();
  const choices = await backupChoices(db, getEnv());
  return (
    <>
      <PageHeader title="Backup now" description="Take an encrypted backup right away and follow it live." />
      {choices.targets.length === 0 ? (
        <EmptyState icon={HardDrive} title="No target to back up to">
          <Link className="text-primary hover:underline" href="/targets/new">
            Add a target
          </Link>{' '}
          first: a local directory, S3-compatible storage or an SFTP server.
        </EmptyState>
      ) : (
        <BackupNowForm choices={choices} />
      )}
    </>
  );
}
