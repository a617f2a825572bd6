'use client';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { startChecksAction } from '@/app/(app)/backups/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { type FeatureAccess, LicenseNeeded } from './license-needed';

const NEEDS = (plan: string) => `Backup verification checks need a ${plan} license`;

/**
 * "Run checks…": starts a verification of the backup (size, integrity, staleness, and the
 * dry-run restore when ticked) and follows it on its job page. Without the license feature
 * the dialog says what is needed and offers nothing to run; a refusal from the server (the
 * license went away meanwhile, a verification already running) is shown in the dialog.
 */
export function RunChecksButton({ backupId, access }: { backupId: string; access: FeatureAccess }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<{ message: string; code?: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const hintId = useId();

  function close() {
    setOpen(false);
    setError(null);
    setDryRun(false);
  }

  function run() {
    setError(null);
    startTransition(async () => {
      const result = await startChecksAction({ backupId, dryRun });
      if (!result.ok) {
        setError({ message: result.error, code: result.code });
        return;
      }
      router.push(`/jobs/${result.data.jobId}`);
    });
  }

  const refusedLicense = error?.code === 'feature_not_licensed';
  return (
    <>
      <Button type="button" variant="outline" size="sm" onClick={() => setOpen(true)}>
        Run checks…
      </Button>
      <Dialog open={open} onClose={close} title="Run verification checks">
        <div className="grid gap-3 text-sm">
          {!access.licensed ? (
            <LicenseNeeded title={NEEDS(access.plan)} reason={access.reason} />
          ) : (
            <>
              <p>
                Checks that the stored object has the recorded size, reads and authenticates every byte of it (integrity), and
                looks for backups of its apps, target and schedule that are overdue (staleness). The results are kept with the
                backup.
              </p>
              <label className="flex items-start gap-2">
                <input
                  type="checkbox"
                  className="mt-1"
                  checked={dryRun}
                  onChange={(e) => setDryRun(e.target.checked)}
                  aria-describedby={hintId}
                />
                <span>
                  Dry-run restore
                  <span id={hintId} className="block text-xs text-muted-foreground">
                    Also restores into a temporary directory and checks the files, each app's Compose file and every SQLite
                    database. Takes longer; nothing live is touched.
                  </span>
                </span>
              </label>
            </>
          )}
          {error &&
            (refusedLicense ? (
              <LicenseNeeded title={NEEDS(access.plan)} reason={error.message} />
            ) : (
              <Alert tone="danger">{error.message}</Alert>
            ))}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={close} disabled={pending}>
              {access.licensed ? 'Cancel' : 'Close'}
            </Button>
            {access.licensed && !refusedLicense && (
              <Button type="button" onClick={run} disabled={pending}>
                {pending ? 'Starting…' : 'Run checks'}
              </Button>
            )}
          </div>
        </div>
      </Dialog>
    </>
  );
}
