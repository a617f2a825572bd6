import { formatAgo } from '@/components/jobs/format';
import type { BackupView } from '@/lib/core/backup/catalog';

const TONES = { ok: 'text-success', corrupted: 'text-destructive', missing: 'text-destructive' } as const;

/**
 * The last verification of a backup: "verified 2 min ago: ok", with the message when it
 * failed. `now` comes from the server render, so the page and its hydration agree.
 */
export function VerificationText({ verification, now }: { verification: BackupView['verification']; now: number }) {
  if (!verification) return <span className="text-muted-foreground">never verified</span>;
  return (
    <span data-testid="backup-verification" title={new Date(verification.at).toISOString()}>
      verified {formatAgo(verification.at, now)}:{' '}
      <span className={`font-medium ${TONES[verification.result]}`}>{verification.result}</span>
      {verification.result !== 'ok' && verification.message ? ` — ${verification.message}` : ''}
    </span>
  );
}
