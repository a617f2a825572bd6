import { formatAgo } from '@/components/jobs/format';
import type { BackupView } from '@/lib/core/backup/catalog';

const TONES = { ok: 'text-success', corrupted: 'text-destructive', missing: 'text-destructive' } as const;

/**
 * The last verification of a backup: "verified 2 min ago: ok", with the message when it
 * failed. `now` comes from the server render, so the page and its hydration agree.
 */
export function VerificationText({
  verification,
  now,
  compact = false,
}: {
  verification: BackupView['verification'];
  now: number;
  /** Tables: the message only as a tooltip. */
  compact?: boolean;
}) {
  if (!verification) return <span className="text-muted-foreground">never verified</span>;
  const when = new Date(verification.at).toISOString();
  if (compact)
    return (
      <span data-testid="backup-verification" title={verification.message ? `${when}: ${verification.message}` : when}>
        verified {formatAgo(verification.at, now)}:{' '}
        <span className={`font-medium ${TONES[verification.result]}`}>{verification.result}</span>
      </span>
    );
  return (
    <span data-testid="backup-verification" title={when}>
      verified {formatAgo(verification.at, now)}:{' '}
      <span className={`font-medium ${TONES[verification.result]}`}>{verification.result}</span>
      {verification.result !== 'ok' && verification.message ? ` — ${verification.message}` : ''}
    </span>
  );
}
