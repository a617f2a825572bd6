import Link from 'next/link';
import type { ReactNode } from 'react';
import { scopeLabel } from '@/components/backups/backups-table';
import { Checksum } from '@/components/backups/checksum';
import { formatBytes, formatDateTime } from '@/components/jobs/format';
import type { BackupDetail } from '@/lib/core/backup/catalog';

function madeBy(backup: BackupDetail): ReactNode {
  const who = backup.createdBy ?? (backup.scheduleId ? `the schedule ${backup.scheduleId}` : 'unknown');
  if (!backup.jobId) return who;
  return (
    <>
      {who} (
      <Link className="text-primary hover:underline" href={`/jobs/${backup.jobId}`}>
        job {backup.jobId.slice(0, 8)}
      </Link>
      )
    </>
  );
}

/** Step 1: what the backup is — when, what, where, its checksum, who made it, last verification. */
export function BackupSummary({ backup, verification }: { backup: BackupDetail; verification: ReactNode }) {
  const apps = backup.contents?.apps ?? [];
  const rows: [string, ReactNode][] = [
    ['Made', formatDateTime(backup.finishedAt ?? backup.startedAt)],
    ['Scope', scopeLabel(backup)],
    [
      'Apps',
      apps.length === 0 ? (
        '—'
      ) : (
        <ul key="apps">
          {apps.map((a) => (
            <li key={a.id}>
              {a.id} — {formatBytes(a.bytes)}, {a.files.toLocaleString()} files
            </li>
          ))}
        </ul>
      ),
    ],
    [
      'System settings and user accounts',
      backup.contents?.system ? formatBytes(backup.contents.system.bytes) : 'not in this backup',
    ],
    ['Target', `${backup.target.name} (${backup.target.kind})`],
    ['Stored size', formatBytes(backup.storedBytes)],
    ['SHA-256', <Checksum key="c" sha256={backup.sha256} full />],
    ['Made by', madeBy(backup)],
    ['Last verification', verification],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="Backup to restore">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted-foreground">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
