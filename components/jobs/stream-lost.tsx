'use client';
import Link from 'next/link';
import { useEffect } from 'react';
import { announceRecoveryFinished } from '@/components/shell/recovery-banner';
import { Alert } from '@/components/ui/alert';
import { buttonVariants } from '@/components/ui/button';

/**
 * The job's live stream stopped for good before the job ended (useJobEvents' `lost`): said
 * once, with the way on, instead of a progress bar that seems stuck or a sign-in loop.
 */
export function StreamLost({ reason, recovery }: { reason: 'signed-out' | 'refused'; recovery: boolean }) {
  const finished = recovery && reason === 'signed-out';
  useEffect(() => {
    if (finished) announceRecoveryFinished();
  }, [finished]);
  if (reason === 'refused')
    return (
      <Alert tone="warning">Live updates of this job stopped: the server refused them. Reload the page to follow it again.</Alert>
    );
  return (
    <Alert tone="info" className="grid gap-2" data-testid="stream-signed-out">
      {recovery ? (
        <>
          <p className="text-base font-semibold">Sign in with your old account.</p>
          <p>
            This recovery session ended, as it does when the restore brings your old accounts back: the system part is restored.
            After signing in, Jobs shows how the restore ended for each app.
          </p>
        </>
      ) : (
        <p>
          Your session ended (restoring the system settings signs everyone out), so this page stopped following the job. Sign in
          again to see how it ends.
        </p>
      )}
      <div>
        <Link className={buttonVariants()} href="/login">
          {recovery ? 'Sign in with your old account' : 'Sign in'}
        </Link>
      </div>
    </Alert>
  );
}
