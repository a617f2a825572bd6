'use client';
import { CheckCircle2, CircleDashed, XCircle } from 'lucide-react';
import { useTransition } from 'react';
import { toast } from 'sonner';
import { acceptHostKeyAction } from '@/app/(app)/targets/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { TargetTestResult } from '@/lib/core/targets/targets';

const STEPS = [
  { step: 'write', label: 'Write a probe file' },
  { step: 'read', label: 'Read it back' },
  { step: 'list', label: 'List it' },
  { step: 'delete', label: 'Delete it' },
] as const;

/** The step-by-step outcome of "Test connection", with the host key decision when needed. */
export function ConnectionTestResult({
  name,
  result,
  onRetest,
}: {
  name: string;
  result: TargetTestResult;
  onRetest: () => void;
}) {
  const [trusting, startTrust] = useTransition();
  const mismatch = result.hostKeyMismatch;
  return (
    <div className="grid gap-3">
      <ol aria-label={`Connection test of ${name}`} className="grid gap-2">
        {STEPS.map(({ step, label }) => {
          const outcome = result.steps.find((s) => s.step === step);
          const Icon = !outcome ? CircleDashed : outcome.ok ? CheckCircle2 : XCircle;
          const status = !outcome ? 'not run' : outcome.ok ? 'ok' : 'failed';
          return (
            <li key={step} className="flex items-start gap-2 text-sm">
              <Icon
                aria-hidden
                className={`mt-0.5 size-4 shrink-0 ${!outcome ? 'text-muted-foreground' : outcome.ok ? 'text-success' : 'text-destructive'}`}
              />
              <span>
                <span className="font-medium">{label}</span>: {status}
                {outcome?.message && <span className="block text-muted-foreground">{outcome.message}</span>}
              </span>
            </li>
          );
        })}
      </ol>
      {result.ok && <Alert tone="info">“{name}” works: backups can be stored there.</Alert>}
      {mismatch && (
        <Alert tone="warning" className="grid gap-2">
          <strong>The server's host key changed.</strong>
          <span>
            Trusted until now: <code className="break-all">SHA256:{mismatch.pinnedSha256}</code>
            <br />
            Presented now: <code className="break-all">SHA256:{mismatch.seenSha256}</code>
          </span>
          <span>
            Trust the new key only if you reinstalled the server or changed its keys, and the new fingerprint matches what the
            server shows (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>). Otherwise someone may be intercepting
            the connection.
          </span>
          <div>
            <Button
              variant="outline"
              disabled={trusting}
              onClick={() =>
                startTrust(async () => {
                  const trusted = await acceptHostKeyAction(name, mismatch.seenSha256);
                  if (!trusted.ok) {
                    toast.error(trusted.error);
                    return;
                  }
                  toast.success(`The new host key of “${name}” is trusted.`);
                  onRetest();
                })
              }
            >
              {trusting ? 'Trusting…' : 'Trust the new key'}
            </Button>
          </div>
        </Alert>
      )}
    </div>
  );
}
