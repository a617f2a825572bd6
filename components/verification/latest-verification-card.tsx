import Link from 'next/link';
import { RefreshWhile } from '@/components/shell/refresh-while';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { VerificationView } from '@/lib/core/verification/verification-view';
import { VerificationChecks, VerificationStateBadge } from './verification-checks';
import { isActiveState, verificationWhen } from './verification-format';

/**
 * A backup's newest verification on its page: state, when, each check with its result,
 * message and duration, and a link to its job. Follows a running one by refreshing the page.
 * `now` comes from the server render.
 */
export function LatestVerificationCard({
  verification,
  now,
  runHint,
}: {
  verification: VerificationView | null;
  now: number;
  /** The page offers "Run checks…" (a finished backup). */
  runHint: boolean;
}) {
  const active = verification !== null && isActiveState(verification.state);
  const when = verification ? verificationWhen(verification, now) : null;
  return (
    <Card aria-labelledby="latest-verification-title">
      <CardHeader>
        <CardTitle id="latest-verification-title">Verification checks</CardTitle>
        <CardDescription>
          The newest verification of this backup: size, integrity and staleness, optionally a dry-run restore.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {!verification || !when ? (
          <p className="text-sm text-muted-foreground">
            No verification checks have run on this backup yet{runHint ? ': start them with “Run checks…”.' : '.'}
          </p>
        ) : (
          <>
            <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
              <VerificationStateBadge state={verification.state} testId="latest-verification-state" />
              <span data-testid="latest-verification-when" title={new Date(when.at).toISOString()}>
                {when.text}
              </span>
              <span className="text-muted-foreground">
                {verification.dryRun ? 'with a dry-run restore' : 'without a dry-run restore'}
                {verification.createdBy ? `, started by ${verification.createdBy}` : ''}
              </span>
              {verification.jobId && (
                <Link className="text-primary hover:underline" href={`/jobs/${verification.jobId}`}>
                  Open its job
                </Link>
              )}
            </p>
            {active && verification.progress?.phase && (
              <p className="text-sm text-muted-foreground" aria-live="polite">
                {verification.progress.phase}
                {verification.progress.percent !== null ? ` — ${verification.progress.percent} %` : ''}
              </p>
            )}
            {verification.message && (
              <Alert tone={verification.state === 'cancelled' ? 'warning' : 'danger'}>{verification.message}</Alert>
            )}
            <VerificationChecks verification={verification} />
          </>
        )}
        <RefreshWhile active={active} />
      </CardContent>
    </Card>
  );
}
