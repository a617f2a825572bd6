import Link from 'next/link';
import { formatBytes, formatDateTime, formatDuration } from '@/components/jobs/format';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { FeatureAccess } from '@/components/verification/license-needed';
import { RunChecksButton } from '@/components/verification/run-checks-button';
import { VerificationSummaryLink } from '@/components/verification/verification-summary-link';
import type { BackupView } from '@/lib/core/backup/catalog';
import type { VerificationSummary } from '@/lib/core/verification/verification-lookups';
import { BackupStatusBadge } from './backup-status-badge';
import { Checksum } from './checksum';
import { VerificationText } from './verification-text';
import { VerifyButton } from './verify-button';

export function scopeLabel(backup: Pick<BackupView, 'scope'>): string {
  return backup.scope === 'full' ? 'Full system' : 'Chosen apps';
}

/**
 * The catalog, newest first: one row per backup, failed ones with their reason, finished ones
 * with their last verification, the state of their newest verification checks, a Verify
 * button and "Run checks…" (licensed). `now` comes from the server render.
 */
export function BackupsTable({
  backups,
  now,
  verifications,
  checksAccess,
}: {
  backups: BackupView[];
  now: number;
  /** The newest verification of each backup that has one, by backup id. */
  verifications: ReadonlyMap<string, VerificationSummary>;
  checksAccess: FeatureAccess;
}) {
  return (
    <Table aria-label="Backup history">
      <TableHeader>
        <TableRow>
          <TableHead>Date</TableHead>
          <TableHead>Scope</TableHead>
          <TableHead>Apps</TableHead>
          <TableHead>Target</TableHead>
          <TableHead title="Stored on the target (compressed, encrypted) and the apps' data it holds">Size</TableHead>
          <TableHead>Duration</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>SHA-256</TableHead>
          <TableHead>Verification</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {backups.map((b) => {
          const latest = verifications.get(b.id);
          return (
            <TableRow key={b.id} data-backup-id={b.id}>
              <TableCell>
                {/* Date and time break apart when the table is short of room (the row's actions need it). */}
                <Link className="text-primary hover:underline" href={`/backups/${b.id}`} title={formatDateTime(b.startedAt)}>
                  <span className="whitespace-nowrap">{new Date(b.startedAt).toLocaleDateString()}</span>{' '}
                  <span className="whitespace-nowrap">{new Date(b.startedAt).toLocaleTimeString()}</span>
                </Link>
              </TableCell>
              <TableCell>{scopeLabel(b)}</TableCell>
              <TableCell>{b.apps.length > 0 ? b.apps.join(', ') : '—'}</TableCell>
              <TableCell>{b.target.name}</TableCell>
              <TableCell className="whitespace-nowrap">
                {b.status === 'succeeded' ? (
                  <>
                    {formatBytes(b.storedBytes)}
                    <span className="block text-xs text-muted-foreground">of {formatBytes(b.logicalBytes)} data</span>
                  </>
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell className="whitespace-nowrap">{formatDuration(b.durationMs)}</TableCell>
              <TableCell>
                <BackupStatusBadge status={b.status} />
                {b.importedAt && (
                  <span
                    className="mt-1 block text-xs text-muted-foreground"
                    title={`Imported ${new Date(b.importedAt).toLocaleString()}`}
                  >
                    imported
                  </span>
                )}
                {b.errorMessage && b.status !== 'succeeded' && (
                  <span className="mt-1 block max-w-xs text-xs text-muted-foreground">{b.errorMessage}</span>
                )}
              </TableCell>
              <TableCell>
                <Checksum sha256={b.sha256} />
              </TableCell>
              <TableCell>
                {b.status === 'succeeded' && (
                  <div className="grid justify-items-start gap-1 text-xs">
                    <VerificationText verification={b.verification} now={now} compact />
                    {latest && <VerificationSummaryLink summary={latest} now={now} />}
                    <div className="flex flex-wrap gap-1">
                      <VerifyButton backupId={b.id} />
                      <RunChecksButton backupId={b.id} access={checksAccess} />
                    </div>
                  </div>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
