'use client';
import { useRouter } from 'next/navigation';
import { type ReactNode, useState, useTransition } from 'react';
import { startRestoreAction } from '@/app/(app)/backups/actions';
import { JobLive } from '@/components/jobs/job-live';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import type { JobView } from '@/lib/core/jobs/job-types';
import type { RestorePreviewApp } from '@/lib/core/restore/restore-preview';
import { ChooseApps } from './choose-apps';
import { RestorePlan } from './restore-plan';

const TITLES = ['Check the backup', 'Choose what to restore', 'Confirm the restore'];

function restoreLabel(apps: string[], system: boolean): string {
  const parts = [
    ...(apps.length === 1 ? [apps[0]] : apps.length > 1 ? [`${apps.length} apps`] : []),
    ...(system ? ['system settings'] : []),
  ];
  return `Restore ${parts.join(' and ')}`;
}

/**
 * The three restore steps on one page. Nothing is queued before the last button; the server
 * action checks the choice again (requestRestore), and the job once more against the target.
 *
 * In a recovery (`recovery`, a full-system backup), the system part is chosen and locked —
 * it is what brings the accounts back and ends the recovery — and every app that can be
 * restored is chosen. The job is then followed right here: its system part ends this
 * session, so the job page could not be opened any more.
 */
export function RestoreWizard({
  backupId,
  scope,
  madeAt,
  summary,
  apps,
  hasSystem,
  recovery = false,
}: {
  backupId: string;
  scope: 'full' | 'apps';
  madeAt: string;
  /** Step 1, rendered on the server. */
  summary: ReactNode;
  apps: RestorePreviewApp[];
  /** Whether the backup holds the system settings and user accounts (full-system backups). */
  hasSystem: boolean;
  /** A recovery from backups is under way (isRecoveryPending). */
  recovery?: boolean;
}) {
  const router = useRouter();
  const recovering = recovery && hasSystem;
  const [step, setStep] = useState(1);
  // A per-app backup was made of exactly these apps: restoring all is the usual wish, and so
  // is a recovery's. From a full-system backup people restore what broke, so nothing is
  // preselected.
  const [chosen, setChosen] = useState<string[]>(() =>
    scope === 'apps' || recovering ? apps.filter((a) => a.problem === null).map((a) => a.id) : [],
  );
  const [systemChosen, setSystemChosen] = useState(recovering);
  const [started, setStarted] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function toggle(id: string, on: boolean) {
    setError(null);
    setChosen((current) => (on ? [...current, id] : current.filter((a) => a !== id)));
  }

  function next() {
    if (step === 2 && chosen.length === 0 && !systemChosen) {
      setError(
        hasSystem ? 'Choose at least one app, or the system settings and user accounts.' : 'Choose at least one app to restore.',
      );
      return;
    }
    setError(null);
    setStep(step + 1);
  }

  function restore() {
    startTransition(async () => {
      // Without `apps` the engine restores every app of the backup: with the system part
      // alone, the list is left out and `system` says what to restore.
      const result = await startRestoreAction({
        backupId,
        ...(chosen.length > 0 ? { apps: chosen } : {}),
        system: systemChosen,
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      if (recovering) setStarted(result.data.job);
      else router.push(`/jobs/${result.data.jobId}`);
    });
  }

  // Keep the order of the backup, whatever order the boxes were ticked in.
  const chosenApps = apps.filter((a) => chosen.includes(a.id));
  if (started) return <JobLive initial={started} recovery />;
  return (
    <Card>
      <CardHeader>
        <p className="text-xs text-muted-foreground">Step {step} of 3</p>
        <CardTitle>{TITLES[step - 1]}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {error && <Alert tone="danger">{error}</Alert>}
        {step === 1 && summary}
        {step === 2 && (
          <ChooseApps
            apps={apps}
            chosen={chosen}
            onToggle={toggle}
            hasSystem={hasSystem}
            systemChosen={systemChosen}
            systemLocked={recovering}
            onToggleSystem={(on) => {
              setError(null);
              setSystemChosen(on);
            }}
          />
        )}
        {step === 3 && <RestorePlan apps={chosenApps} system={systemChosen} madeAt={madeAt} />}
        <div className="flex gap-2">
          {step > 1 && (
            <Button type="button" variant="outline" onClick={() => setStep(step - 1)} disabled={pending}>
              Back
            </Button>
          )}
          {step < 3 ? (
            <Button type="button" onClick={next}>
              Next
            </Button>
          ) : (
            <Button type="button" variant="destructive" onClick={restore} disabled={pending}>
              {pending ? 'Starting…' : restoreLabel(chosen, systemChosen)}
            </Button>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
