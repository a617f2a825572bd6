import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { BackupContentsView } from '@/components/backups/backup-contents';
import { BackupStatusBadge } from '@/components/backups/backup-status-badge';
import { scopeLabel } from '@/components/backups/backups-table';
import { Checksum } from '@/components/backups/checksum';
import { VerificationText } from '@/components/backups/verification-text';
import { VerifyButton } from '@/components/backups/verify-button';
import { formatBytes, formatDateTime, formatDuration } from '@/components/jobs/format';
import { JobLogList } from '@/components/jobs/job-log-list';
import { PageHeader } from '@/components/shell/page-header';
import { Alert } from '@/components/ui/alert';
import { buttonVariants } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { LatestVerificationCard } from '@/components/verification/latest-verification-card';
import { toFeatureAccess } from '@/components/verification/license-needed';
import { RunChecksButton } from '@/components/verification/run-checks-button';
import { getBackup } from '@/lib/core/backup/catalog';
import { isAppError } from '@/lib/core/errors';
import { listJobLogs } from '@/lib/core/jobs/list-jobs';
import { checkFeature } from '@/lib/core/license/require-feature';
import { getLatestVerification } from '@/lib/core/verification/verifications';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Backup' };

export default async function BackupPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const backup = await getBackup(db, id).catch((error: unknown) => {
    // A malformed id in the address is as missing as an unknown one.
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'invalid_input')) notFound();
    throw error;
  });
  const [logs, latest, license] = await Promise.all([
    backup.jobId ? listJobLogs(db, backup.jobId, 0, 5000) : [],
    getLatestVerification(db, backup.id),
    checkFeature(db, 'backup_verification'),
  ]);
  const now = Date.now();
  const rows: [string, ReactNode][] = [
    ['Status', <BackupStatusBadge key="s" status={backup.status} />],
    ['Scope', scopeLabel(backup)],
    ['Apps', backup.apps.join(', ') || '—'],
    ['Target', `${backup.target.name} (${backup.target.kind})`],
    ['Started', formatDateTime(backup.startedAt)],
    ['Finished', formatDateTime(backup.finishedAt)],
    ['Duration', formatDuration(backup.durationMs)],
    ['Stored size', formatBytes(backup.storedBytes)],
    ['Data size', formatBytes(backup.logicalBytes)],
    ['Files', backup.fileCount.toLocaleString()],
    [
      'Object',
      <code key="o" className="text-xs">
        {backup.objectKey}
      </code>,
    ],
    ['SHA-256', <Checksum key="c" sha256={backup.sha256} full />],
    ['Started by', backup.createdBy ?? (backup.scheduleId ? 'a schedule' : '—')],
    ['Verification', <VerificationText key="v" verification={backup.verification} now={now} />],
  ];
  const finished = backup.status === 'succeeded';
  return (
    <>
      <PageHeader
        title="Backup"
        description={`Backup ${backup.id}`}
        actions={
          <>
            {finished && (
              <Link className={buttonVariants({ size: 'sm' })} href={`/backups/${backup.id}/restore`}>
                Restore…
              </Link>
            )}
            {finished && <VerifyButton backupId={backup.id} />}
            {finished && <RunChecksButton backupId={backup.id} access={toFeatureAccess('backup_verification', license)} />}
            <Link className="self-center text-sm text-primary hover:underline" href="/backups">
              All backups
            </Link>
          </>
        }
      />
      <div className="grid gap-4">
        {backup.errorMessage && backup.status !== 'succeeded' && (
          <Alert tone={backup.status === 'cancelled' ? 'warning' : 'danger'}>{backup.errorMessage}</Alert>
        )}
        <Card>
          <CardContent className="pt-5">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Backup details">
              {rows.map(([label, value]) => (
                <div key={label} className="contents">
                  <dt className="text-muted-foreground">{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
        {(finished || latest) && <LatestVerificationCard verification={latest} now={now} runHint={finished} />}
        <section aria-labelledby="contents-heading" className="grid gap-3">
          <h2 id="contents-heading" className="text-lg font-semibold">
            Contents
          </h2>
          {backup.contents ? (
            <BackupContentsView contents={backup.contents} />
          ) : (
            <p className="text-sm text-muted-foreground">
              {backup.status === 'succeeded'
                ? 'This backup has no readable contents list in the catalog.'
                : 'Nothing was stored: the contents list is written only when a backup completes.'}
            </p>
          )}
        </section>
        <Card>
          <CardHeader>
            <CardTitle>Job log</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2">
            {backup.jobId && (
              <Link className="text-sm text-primary hover:underline" href={`/jobs/${backup.jobId}`}>
                Open the job
              </Link>
            )}
            <JobLogList logs={logs} emptyText="No log lines were kept for this backup." />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
