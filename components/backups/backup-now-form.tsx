'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState, useTransition } from 'react';
import { startBackupAction } from '@/app/(app)/backups/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { BackupChoices } from '@/lib/core/backup/request-backup';

type Scope = 'full' | 'apps';

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-xs font-medium text-destructive">
      {message}
    </p>
  ) : null;
}

/** Scope (full system or chosen apps) and target; on success the browser follows the new job. */
export function BackupNowForm({ choices }: { choices: BackupChoices }) {
  const router = useRouter();
  const [scope, setScope] = useState<Scope>('full');
  const [apps, setApps] = useState<string[]>([]);
  const [target, setTarget] = useState(choices.targets[0]?.name ?? '');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [pending, startTransition] = useTransition();

  function toggle(id: string, on: boolean) {
    setApps((current) => (on ? [...current, id] : current.filter((a) => a !== id)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await startBackupAction({ target, scope, apps: scope === 'apps' ? apps : [] });
      if (!result.ok) {
        setError({ message: result.error, fields: result.fields ?? {} });
        return;
      }
      router.push(`/jobs/${result.data.jobId}`);
    });
  }

  const fields = error?.fields ?? {};
  return (
    <form onSubmit={submit} className="grid max-w-xl gap-5" noValidate>
      {error && !fields.apps && !fields.target && <Alert tone="danger">{error.message}</Alert>}
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">What to back up</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="scope" className="mt-1" checked={scope === 'full'} onChange={() => setScope('full')} />
          <span>
            Full system
            <span className="block text-xs text-muted-foreground">
              Every app's data, Compose and env files, plus Cloud OS's own database, settings and user accounts.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="scope" className="mt-1" checked={scope === 'apps'} onChange={() => setScope('apps')} />
          <span>
            Chosen apps
            <span className="block text-xs text-muted-foreground">
              Only the apps ticked below: their data, Compose and env files.
            </span>
          </span>
        </label>
      </fieldset>
      {scope === 'apps' && (
        <fieldset className="grid gap-2" aria-describedby={fields.apps ? 'backup-apps-error' : undefined}>
          <legend className="mb-1 text-sm font-medium">Apps</legend>
          {choices.apps.length === 0 && (
            <p className="text-sm text-muted-foreground">No apps were found in the apps directory.</p>
          )}
          {choices.apps.map((app) => (
            <label key={app.id} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                disabled={app.error !== null}
                checked={apps.includes(app.id)}
                onChange={(e) => toggle(app.id, e.target.checked)}
              />
              <span>
                {app.id}
                {app.error && <span className="block text-xs text-destructive">Cannot be backed up: {app.error}</span>}
              </span>
            </label>
          ))}
          <FieldError id="backup-apps-error" message={fields.apps} />
        </fieldset>
      )}
      <div className="grid gap-1.5">
        <label htmlFor="backup-target" className="text-sm font-medium">
          Target
        </label>
        <select
          id="backup-target"
          className="h-9 rounded-md border bg-background px-3 text-sm"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          aria-invalid={fields.target ? true : undefined}
          aria-describedby={fields.target ? 'backup-target-error' : undefined}
        >
          {choices.targets.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.kind}){t.isDefault ? ' — default' : ''}
            </option>
          ))}
        </select>
        <FieldError id="backup-target-error" message={fields.target} />
      </div>
      <div>
        <Button type="submit" disabled={pending || choices.targets.length === 0}>
          {pending ? 'Starting…' : 'Start backup'}
        </Button>
      </div>
    </form>
  );
}
