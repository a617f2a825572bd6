'use client';
import Link from 'next/link';
import { useEffect } from 'react';
import { announceRecoveryFinished } from '@/components/shell/recovery-banner';
import { Alert } from '@/components/ui/alert';
import { buttonVariants } from '@/components/ui/button';
import { VerificationChecks, VerificationStateBadge } from '@/components/verification/verification-checks';
import type { JobView } from '@/lib/core/jobs/job-types';
import type { VerificationView } from '@/lib/core/verification/verification-view';
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

// A verification job's result is its VerificationView (lib/core/verification).
function asVerification(result: unknown): VerificationView | null {
  const r = result as Partial<VerificationView> | null;
  return r && typeof r.state === 'string' && Array.isArray(r.checks) && Array.isArray(r.requestedChecks)
    ? (r as VerificationView)
    : null;
}

function BackupLink({ id }: { id: string }) {
  return (
    <Link className="text-primary hover:underline" href={`/backups/${id}`}>
      View the backup
    </Link>
  );
}

/**
 * Per-app outcome of a finished restore: restored, or rolled back with the reason. Without
 * `backupLink` when the session that link would need has ended (a recovery's).
 */
function RestoreOutcomeView({ outcome, backupLink = true }: { outcome: RestoreOutcome; backupLink?: boolean }) {
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
      {backupLink && <BackupLink id={outcome.backupId} />}
    </section>
  );
}

/**
 * A recovery's restore ended with the system part back: the recovery session is gone with
 * the account it belonged to, and the old accounts sign in again.
 */
function RecoveryRestored({ allApps }: { allApps: boolean }) {
  useEffect(announceRecoveryFinished, []);
  return (
    <Alert tone="info" className="grid gap-2" data-testid="recovery-restored">
      <p className="text-base font-semibold">
        {allApps ? 'Restored. Sign in with your old account.' : 'Your accounts are back. Sign in with your old account.'}
      </p>
      <p>
        {allApps
          ? 'Your accounts, settings, targets and schedules are back, with the apps listed below.'
          : 'Your accounts, settings, targets and schedules are back, but not every app: restore those again once signed in.'}{' '}
        This recovery session has ended.
      </p>
      <div>
        <Link className={buttonVariants()} href="/login">
          Sign in with your old account
        </Link>
      </div>
    </Alert>
  );
}

/** A recovery's restore that failed before the accounts came back: the recovery goes on. */
function RecoveryNotFinished() {
  return (
    <p className="text-sm">
      The recovery is not finished yet.{' '}
      <Link className="text-primary hover:underline" href="/setup/recover">
        Back to the backups found
      </Link>
    </p>
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

/** A verification's checks, as they finish and once it ended. */
function VerificationOutcomeView({ verification }: { verification: VerificationView }) {
  return (
    <section aria-label="Verification result" className="grid gap-2 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        Verification checks <VerificationStateBadge state={verification.state} testId="verification-state" />
        <span className="text-muted-foreground">
          {verification.dryRun ? 'with a dry-run restore' : 'without a dry-run restore'}
        </span>
      </p>
      {verification.message && (
        <Alert tone={verification.state === 'cancelled' ? 'warning' : 'danger'}>{verification.message}</Alert>
      )}
      <VerificationChecks verification={verification} />
      <BackupLink id={verification.backupId} />
    </section>
  );
}

/**
 * What a finished restore or verify job found; nothing for other jobs or while running. A
 * verification job (`verification`, read by the page) shows its checks while it runs too. A
 * restore of a recovery from backups (`recovery`) says how the recovery goes on.
 */
export function JobOutcome({
  job,
  verification = null,
  recovery = false,
}: {
  job: JobView;
  verification?: VerificationView | null;
  recovery?: boolean;
}) {
  if (job.type === 'verify') {
    // The job's result is the final view; until then the page's read of the checks so far.
    const view = asVerification(job.result) ?? verification;
    if (view) return <VerificationOutcomeView verification={view} />;
  }
  // A restore that rolled an app back fails and keeps its per-app outcome.
  if (job.type === 'restore' && (job.status === 'succeeded' || job.status === 'failed')) {
    const outcome = asRestore(job.result);
    if (recovery && outcome?.system)
      return (
        <>
          <RecoveryRestored allApps={job.status === 'succeeded'} />
          <RestoreOutcomeView outcome={outcome} backupLink={false} />
        </>
      );
    if (recovery) return <RecoveryNotFinished />;
    return outcome ? <RestoreOutcomeView outcome={outcome} /> : null;
  }
  if (recovery && job.type === 'restore' && job.status === 'cancelled') return <RecoveryNotFinished />;
  // A verify that found the backup corrupted or missing fails and keeps what it found.
  if (job.type === 'verify' && (job.status === 'succeeded' || job.status === 'failed')) {
    const outcome = asVerify(job.result);
    return outcome ? <VerifyOutcomeView outcome={outcome} /> : null;
  }
  return null;
}
