import Link from 'next/link';
import { notFound } from 'next/navigation';
import { VerificationText } from '@/components/backups/verification-text';
import { formatDateTime } from '@/components/jobs/format';
import { BackupSummary } from '@/components/restore/backup-summary';
import { RestoreWizard } from '@/components/restore/restore-wizard';
import { PageHeader } from '@/components/shell/page-header';
import { Alert } from '@/components/ui/alert';
import { getBackup } from '@/lib/core/backup/catalog';
import { getEnv } from '@/lib/core/env';
import { isAppError } from '@/lib/core/errors';
import { isRecoveryPending } from '@/lib/core/recovery/recover-instance';
import { previewRestore } from '@/lib/core/restore/restore-preview';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Restore' };

export default async function RestorePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const backup = await getBackup(db, id).catch((error: unknown) => {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  });
  const back = (
    <Link className="text-sm text-primary hover:underline" href={`/backups/${backup.id}`}>
      Back to the backup
    </Link>
  );
  const restorable =
    backup.status === 'succeeded' &&
    backup.contents !== null &&
    (backup.contents.apps.length > 0 || (backup.scope === 'full' && Boolean(backup.contents.system)));
  if (!restorable)
    return (
      <>
        <PageHeader title="Restore" description={`Backup ${backup.id}`} actions={back} />
        <Alert tone="danger">
          {backup.status !== 'succeeded'
            ? `This backup ${backup.status === 'running' ? 'is still running' : `${backup.status}`}: there is nothing to restore.`
            : 'This backup holds no apps the catalog can list; there is nothing to restore from here.'}
        </Alert>
      </>
    );
  const contents = backup.contents as NonNullable<typeof backup.contents>;
  const [apps, recovery] = await Promise.all([previewRestore(contents, getEnv()), isRecoveryPending(db)]);
  return (
    <>
      <PageHeader title="Restore" description={`Backup ${backup.id}`} actions={back} />
      <RestoreWizard
        backupId={backup.id}
        scope={backup.scope}
        madeAt={formatDateTime(backup.finishedAt ?? backup.startedAt)}
        summary={
          <BackupSummary
            backup={backup}
            verification={<VerificationText verification={backup.verification} now={Date.now()} />}
          />
        }
        apps={apps}
        hasSystem={backup.scope === 'full' && Boolean(contents.system)}
        recovery={recovery}
      />
    </>
  );
}
