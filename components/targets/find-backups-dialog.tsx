'use client';
import Link from 'next/link';
import { type FormEvent, useState, useTransition } from 'react';
import { findBackupsAction } from '@/app/(app)/targets/actions';
import { formatBytes, formatDateTime } from '@/components/jobs/format';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { ImportReport } from '@/lib/core/recovery/import-backups';
import { TargetField } from './target-field';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function ReportSection({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="grid gap-1">
      <h3 className="font-medium">{title}</h3>
      {children}
    </section>
  );
}

/** What an import did: imported (listed), already known (counted), refused and key problems (each with why). */
function ImportReportView({ report }: { report: ImportReport }) {
  const { imported, known, refused, keyProblems } = report;
  return (
    <div className="grid gap-3" aria-live="polite">
      <Alert tone={refused.length > 0 || keyProblems.length > 0 ? 'warning' : 'info'} data-testid="find-backups-summary">
        Imported {plural(imported.length, 'backup')}; {known.length} already in the catalog; {refused.length} refused.
      </Alert>
      {imported.length > 0 && (
        <ReportSection title="Imported">
          <ul className="grid gap-1">
            {imported.map((b) => (
              <li key={b.id}>
                <Link className="text-primary hover:underline" href={`/backups/${b.id}`}>
                  {formatDateTime(b.createdAt)}
                </Link>{' '}
                — {b.scope === 'full' ? 'full system' : 'apps only'}
                {b.apps.length > 0 && `: ${b.apps.join(', ')}`} ({formatBytes(b.storedBytes)})
              </li>
            ))}
          </ul>
        </ReportSection>
      )}
      {refused.length > 0 && (
        <ReportSection title="Refused">
          <ul className="grid gap-1">
            {refused.map((r) => (
              <li key={r.id}>
                <code className="break-all text-xs">{r.id}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </ReportSection>
      )}
      {keyProblems.length > 0 && (
        <ReportSection title="Key problems">
          <ul className="grid gap-1">
            {keyProblems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </ReportSection>
      )}
      {report.adoptedKeyId && (
        <p>This server had made no backup yet: it took the key of these backups as its own, and new backups continue under it.</p>
      )}
      {report.keysAdded.length > 0 && (
        <p>
          This server now also holds {plural(report.keysAdded.length, 'key')} these backups open with: no passphrase is needed
          again.
        </p>
      )}
    </div>
  );
}

/**
 * "Find backups on this target": imports what is stored there into the catalog, with an
 * optional passphrase for backups this server's own keys do not open.
 */
export function FindBackupsDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  // The next target opened starts afresh.
  function close() {
    setReport(null);
    setError(null);
    onClose();
  }

  function find(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name) return;
    const passphrase = String(new FormData(event.currentTarget).get('passphrase') ?? '');
    setError(null);
    startTransition(async () => {
      const result = await findBackupsAction(name, passphrase);
      setReport(result.ok ? result.data : null);
      setError(result.ok ? null : result.error);
    });
  }

  return (
    <Dialog open={name !== null} onClose={close} title={`Find backups on “${name ?? ''}”`}>
      <form onSubmit={find} className="grid gap-3 text-sm">
        <p className="text-muted-foreground">
          Adds the backups stored on this target that are missing from the catalog. Nothing on the target changes.
        </p>
        <TargetField
          name="passphrase"
          label="Backup passphrase (optional)"
          type="password"
          autoComplete="off"
          hint="Needed only for backups of another server, or made under a passphrase this server does not know."
        />
        {error && <Alert tone="danger">{error}</Alert>}
        {report && <ImportReportView report={report} />}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="outline" onClick={close} disabled={pending}>
            Close
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? 'Searching…' : report ? 'Search again' : 'Find backups'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
