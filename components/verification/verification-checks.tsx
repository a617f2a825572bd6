import { Badge } from '@/components/ui/badge';
import type { CheckName } from '@/lib/core/verification/checks';
import type { VerificationState, VerificationView } from '@/lib/core/verification/verification-view';
import { CHECK_LABELS, formatCheckDuration, isActiveState, RESULT_TONES, STATE_TONES } from './verification-format';

/** A verification's state as a coloured badge: queued, running, passed, warned, failed, cancelled. */
export function VerificationStateBadge({ state, testId }: { state: VerificationState; testId?: string }) {
  return (
    <Badge tone={STATE_TONES[state]} data-testid={testId}>
      {state}
    </Badge>
  );
}

/**
 * Each check of a verification with its result (pass / warn / fail), message and duration;
 * the checks asked for but not finished yet say whether they are running, waiting, or were
 * never run (a cancelled or dead verification).
 */
export function VerificationChecks({ verification }: { verification: VerificationView }) {
  const done = new Map(verification.checks.map((check) => [check.name, check]));
  const names: CheckName[] = [
    ...verification.requestedChecks,
    ...verification.checks.map((c) => c.name).filter((n) => !verification.requestedChecks.includes(n)),
  ];
  const active = isActiveState(verification.state);
  const current = verification.state === 'running' ? names.find((n) => !done.has(n)) : undefined;
  return (
    <ul aria-label="Verification checks" className="grid gap-2">
      {names.map((name) => {
        const check = done.get(name);
        return (
          <li key={name} data-testid={`verification-check-${name}`} className="min-w-0 rounded-md border p-3 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{CHECK_LABELS[name] ?? name}</span>
              {check ? (
                <Badge tone={RESULT_TONES[check.result]} data-testid="check-result">
                  {check.result}
                </Badge>
              ) : (
                <Badge tone={name === current ? 'info' : 'neutral'} data-testid="check-result">
                  {name === current ? 'running' : active ? 'waiting' : 'not run'}
                </Badge>
              )}
              {check && (
                <span className="text-xs text-muted-foreground" data-testid="check-duration">
                  {formatCheckDuration(check.durationMs)}
                </span>
              )}
            </div>
            {check && <p className="mt-1 break-words text-muted-foreground">{check.message}</p>}
          </li>
        );
      })}
    </ul>
  );
}
