import Link from 'next/link';
import { formatAgo } from '@/components/jobs/format';
import type { VerificationSummary } from '@/lib/core/verification/verification-lookups';
import { VerificationStateBadge } from './verification-checks';
import { isActiveState } from './verification-format';

/**
 * A history row's newest verification: "checks [passed] 2 h ago" (or "checks [running]"),
 * linked to its job, where each check's result is. `now` comes from the server render.
 */
export function VerificationSummaryLink({ summary, now }: { summary: VerificationSummary; now: number }) {
  const at = summary.finishedAt ?? summary.createdAt;
  const ago = isActiveState(summary.state) ? null : formatAgo(at, now);
  const title = `Verification checks ${summary.dryRun ? 'with' : 'without'} a dry-run restore, ${summary.finishedAt ? 'ended' : 'started'} ${new Date(at).toISOString()}`;
  const label = (
    <>
      checks <VerificationStateBadge state={summary.state} />
      {ago && <span className="whitespace-nowrap"> {ago}</span>}
    </>
  );
  return summary.jobId ? (
    <Link data-testid="verification-state" className="hover:underline" href={`/jobs/${summary.jobId}`} title={title}>
      {label}
    </Link>
  ) : (
    <span data-testid="verification-state" title={title}>
      {label}
    </span>
  );
}
