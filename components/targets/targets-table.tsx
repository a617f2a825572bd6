'use client';
import { FlaskConical, Pencil, ScanSearch, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Button, buttonVariants } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { TargetView } from '@/lib/core/targets/targets';

const KIND_LABELS = { local: 'Local directory', s3: 'S3-compatible', sftp: 'SFTP' } as const;

function locationOf(target: TargetView): string {
  const c = target.config as Record<string, string | number | undefined>;
  if (target.kind === 'local') return String(c.path);
  if (target.kind === 's3') return `${c.endpoint || 'AWS'} · ${c.bucket}${c.prefix ? `/${c.prefix}` : ''}`;
  return `${c.username}@${c.host}:${c.port ?? 22}${c.remotePath}`;
}

/** The targets with their last test and actions; secrets never reach this component (views carry none). */
export function TargetsTable({
  targets,
  testing,
  onTest,
  onFind,
  onDelete,
}: {
  targets: TargetView[];
  testing: string | null;
  onTest: (name: string) => void;
  /** "Find backups on this target" (an import into the catalog). */
  onFind: (name: string) => void;
  onDelete: (name: string) => void;
}) {
  return (
    <Table aria-label="Backup targets">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Location</TableHead>
          <TableHead>Last test</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {targets.map((t) => (
          <TableRow key={t.id}>
            <TableCell className="font-medium">
              {t.name} {t.isDefault && <Badge>default</Badge>}
            </TableCell>
            <TableCell>{KIND_LABELS[t.kind]}</TableCell>
            <TableCell className="break-all font-mono text-xs">{locationOf(t)}</TableCell>
            <TableCell>
              {t.lastTest ? (
                <Badge tone={t.lastTest.ok ? 'success' : 'danger'} title={t.lastTest.message ?? undefined}>
                  {t.lastTest.ok ? 'passed' : 'failed'} · {new Date(t.lastTest.at).toLocaleString()}
                </Badge>
              ) : (
                <Badge>not tested</Badge>
              )}
              {t.keyFilePending && (
                <Badge
                  tone="warning"
                  title="The passphrase changed while this target could not be reached: its backups open with the old passphrase until its next backup writes the new key file."
                >
                  key file pending
                </Badge>
              )}
            </TableCell>
            <TableCell>
              {/* Two by two: four buttons do not fit one line beside the location. */}
              <div className="grid grid-cols-[auto_auto] justify-end gap-1">
                <Button
                  size="sm"
                  variant="outline"
                  aria-label={`Test ${t.name}`}
                  disabled={testing !== null}
                  onClick={() => onTest(t.name)}
                >
                  <FlaskConical /> {testing === t.name ? 'Testing…' : 'Test'}
                </Button>
                <Button size="sm" variant="outline" aria-label={`Find backups on ${t.name}`} onClick={() => onFind(t.name)}>
                  <ScanSearch /> Find backups
                </Button>
                <Link
                  className={buttonVariants({ size: 'sm', variant: 'ghost' })}
                  aria-label={`Edit ${t.name}`}
                  href={`/targets/${t.id}/edit`}
                >
                  <Pencil /> Edit
                </Link>
                <Button size="sm" variant="ghost" aria-label={`Delete ${t.name}`} onClick={() => onDelete(t.name)}>
                  <Trash2 /> Delete
                </Button>
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
