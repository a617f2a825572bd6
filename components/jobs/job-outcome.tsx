import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import type { JobView } from '@/lib/core/jobs/job-types';
import { formatDateTime } from './format';

// The shapes of RestoreResult and VerifyResult (lib/core/restore), read defensively: a job row
// may come from an older version.
interface RestoreOutcome {
  backupId: string;
  restored: string[];
  rolledBack: { app: string; reason: string }[];
  system?: boolean;
}
interface VerifyOutcome {
  backupId: string;
  result: 'ok' | 'corrupted' | 'missing';
  message: string;
  verifiedAt: string;
}

function asRestore(result: unknown): RestoreOutcome | null {
  const r = result as Partial<RestoreOutcome> | null;
  return r && Array.isArray(r.restored) && Array.isArray(r.rolledBack) ? (r as RestoreOutcome) : null;
}

function asVerify(result: unknown): VerifyOutcome | null {
  const r = result as Partial<VerifyOutcome> | null;
  return r && typeof r.result === 'string' && typeof r.message === 'string' ? (r as VerifyOutcome) : null;
}

function BackupLink({ id }: { id: string }) {
  return (
    <Link className="text-primary hover:underline" href={`/backups/${id}`}>
      View the backup
    </Link>
  );
}

/** Per-app outcome of a finished restore: restored, or rolled back with the reason. */
function RestoreOutcomeView({ outcome }: { outcome: RestoreOutcome }) {
  return (
    <section aria-label="Restore outcome" className="grid gap-2 text-sm">
      <ul className="grid gap-1">
        {outcome.restored.map((app) => (
          <li key={app} data-testid={`restore-outcome-${app}`}>
            <span className="font-medium">{app}</span>: <span className="text-success">restored</span>
          </li>
        ))}
        {outcome.rolledBack.map(({ app, reason }) => (
          <li key={app} data-testid={`restore-outcome-${app}`}>
            <span className="font-medium">{app}</span>: <span className="text-destructive">rolled back</span> to its data before
            the restore — {reason}
          </li>
        ))}
        {outcome.system && (
          <li data-testid="restore-outcome-system">
            <span className="font-medium">System settings and user accounts</span>: <span className="text-success">restored</span>{' '}
            — everyone was signed out; sign in with an account from the backup
          </li>
        )}
      </ul>
      <BackupLink id={outcome.backupId} />
    </section>
  );
}

function VerifyOutcomeView({ outcome }: { outcome: VerifyOutcome }) {
  return (
    <section aria-label="Verification outcome" className="grid gap-2 text-sm">
      <Alert tone={outcome.result === 'ok' ? 'info' : 'danger'}>
        <span data-testid="verify-result" className="font-medium">
          {outcome.result}
        </span>
        : {outcome.message} ({formatDateTime(outcome.verifiedAt)})
      </Alert>
      <BackupLink id={outcome.backupId} />
    </section>
  );
}

/** What a finished restore or verify job found; nothing for other jobs or while running. */
export function JobOutcome({ job }: { job: JobView }) {
  // A restore that rolled an app back fails and keeps its per-app outcome.
  if (job.type === 'restore' && (job.status === 'succeeded' || job.status === 'failed')) {
    const outcome = asRestore(job.result);
    return outcome ? <RestoreOutcomeView outcome={outcome} /> : null;
  }
  if (job.status !== 'succeeded') return null;
  if (job.type === 'verify') {
    const outcome = asVerify(job.result);
    return outcome ? <VerifyOutcomeView outcome={outcome} /> : null;
  }
  return null;
}
