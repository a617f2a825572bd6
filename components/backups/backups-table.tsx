import Link from 'next/link';
import { formatBytes, formatDateTime, formatDuration } from '@/components/jobs/format';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { BackupView } from '@/lib/core/backup/catalog';
import { BackupStatusBadge } from './backup-status-badge';
import { Checksum } from './checksum';
import { VerificationText } from './verification-text';
import { VerifyButton } from './verify-button';

export function scopeLabel(backup: Pick<BackupView, 'scope'>): string {
  return backup.scope === 'full' ? 'Full system' : 'Chosen apps';
}

/**
 * The catalog, newest first: one row per backup, failed ones with their reason, finished ones
 * with their last verification and a Verify button. `now` comes from the server render.
 */
export function BackupsTable({ backups, now }: { backups: BackupView[]; now: number }) {
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
        {backups.map((b) => (
          <TableRow key={b.id} data-backup-id={b.id}>
            <TableCell className="whitespace-nowrap">
              <Link className="text-primary hover:underline" href={`/backups/${b.id}`}>
                {formatDateTime(b.startedAt)}
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
                  <VerifyButton backupId={b.id} />
                </div>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
