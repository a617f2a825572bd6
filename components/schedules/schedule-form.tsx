'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState, useTransition } from 'react';
import { type CronPreviewResult, createScheduleAction, updateScheduleAction } from '@/app/(app)/schedules/actions';
import { TargetField } from '@/components/targets/target-field';
import { Alert } from '@/components/ui/alert';
import { Button, buttonVariants } from '@/components/ui/button';
import type { ScheduleFormChoices } from '@/lib/core/schedules/schedule-overview';
import type { ScheduleView } from '@/lib/core/schedules/schedules';
import { CronField } from './cron-field';

const KEEP_FIELDS = [
  { name: 'keepLast', label: 'Keep last', hint: 'The N newest backups of this schedule.' },
  { name: 'keepDaily', label: 'Keep daily', hint: 'The newest backup of each of the last N days that have one.' },
  { name: 'keepWeekly', label: 'Keep weekly', hint: 'The newest backup of each of the last N ISO weeks that have one.' },
] as const;
type KeepField = (typeof KEEP_FIELDS)[number]['name'];

// The fields this form shows; an error for any other field is shown above the form.
const SHOWN_FIELDS = ['name', 'cron', 'target', 'scope', 'apps', 'keepLast', 'keepDaily', 'keepWeekly'];

/** "" → null (rule not used); digits → the number; anything else goes as typed, for the server to refuse with a message. */
function keepValue(raw: string): number | string | null {
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/**
 * Creates or edits a schedule: name, when (presets or cron, previewed live), what (full system
 * or chosen apps), where, and retention. lib/core checks everything; its message for each field
 * appears beside that field and nothing typed is lost.
 */
export function ScheduleForm({
  choices,
  schedule,
  initialPreview,
}: {
  choices: ScheduleFormChoices;
  schedule?: ScheduleView;
  initialPreview: CronPreviewResult | null;
}) {
  const router = useRouter();
  const [name, setName] = useState(schedule?.name ?? '');
  const [cron, setCron] = useState(schedule?.cron ?? '0 2 * * *');
  const [scope, setScope] = useState<'full' | 'apps'>(schedule?.scope ?? 'full');
  const [apps, setApps] = useState<string[]>(schedule?.apps ?? []);
  const [target, setTarget] = useState(schedule?.target.name ?? choices.targets[0]?.name ?? '');
  const [keep, setKeep] = useState<Record<KeepField, string>>({
    keepLast: schedule?.keepLast?.toString() ?? '',
    keepDaily: schedule?.keepDaily?.toString() ?? '',
    keepWeekly: schedule?.keepWeekly?.toString() ?? '',
  });
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      name,
      cron,
      target,
      scope,
      apps: scope === 'apps' ? apps : [],
      keepLast: keepValue(keep.keepLast),
      keepDaily: keepValue(keep.keepDaily),
      keepWeekly: keepValue(keep.keepWeekly),
      enabled,
    };
    startTransition(async () => {
      const result = schedule ? await updateScheduleAction(schedule.name, input) : await createScheduleAction(input);
      if (!result.ok) {
        setError({ message: result.error, fields: result.fields ?? {} });
        return;
      }
      router.push(`/schedules/${result.data.id}`);
      router.refresh();
    });
  }

  const fields = error?.fields ?? {};
  const unplaced = Object.keys(fields).some((f) => !SHOWN_FIELDS.includes(f));
  const chosenTarget = choices.targets.find((t) => t.name === target);
  return (
    <form onSubmit={submit} className="grid max-w-xl gap-5" noValidate>
      {error && (Object.keys(fields).length === 0 || unplaced) && <Alert tone="danger">{error.message}</Alert>}
      {error && !unplaced && Object.keys(fields).length > 0 && (
        <Alert tone="danger">Some fields need a correction: see the messages beside them.</Alert>
      )}
      <TargetField
        name="name"
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="Nightly"
        error={fields.name}
      />
      <CronField value={cron} onChange={setCron} initialPreview={initialPreview} error={fields.cron} />
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">What to back up</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="scope" checked={scope === 'full'} onChange={() => setScope('full')} />
          Full system
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="scope" checked={scope === 'apps'} onChange={() => setScope('apps')} />
          Chosen apps
        </label>
        {scope === 'apps' && (
          <fieldset className="ml-6 grid gap-1.5">
            <legend className="sr-only">Apps</legend>
            {choices.apps.length === 0 && <p className="text-sm text-muted-foreground">No apps were found.</p>}
            {choices.apps.map((app) => (
              <label key={app.id} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-1"
                  disabled={app.error !== null && !apps.includes(app.id)}
                  checked={apps.includes(app.id)}
                  onChange={(e) => setApps((now) => (e.target.checked ? [...now, app.id] : now.filter((a) => a !== app.id)))}
                />
                <span>
                  {app.id}
                  {app.error && <span className="block text-xs text-destructive">Cannot be backed up: {app.error}</span>}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {fields.apps && <p className="text-xs font-medium text-destructive">{fields.apps}</p>}
      </fieldset>
      <div className="grid gap-1.5">
        <label htmlFor="schedule-target" className="text-sm font-medium">
          Target
        </label>
        <select
          id="schedule-target"
          className="h-9 rounded-md border bg-background px-3 text-sm"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          aria-invalid={fields.target ? true : undefined}
        >
          {choices.targets.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.kind}){t.isDefault ? ' — default' : ''}
            </option>
          ))}
        </select>
        {fields.target && <p className="text-xs font-medium text-destructive">{fields.target}</p>}
      </div>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium">Retention</legend>
        <p className="text-xs text-muted-foreground">
          A backup of this schedule is kept while any rule keeps it; the newest is always kept. Leave all empty to keep every
          backup. Retention runs after each successful backup of this schedule.
          {chosenTarget?.keepLast != null &&
            ` Target “${chosenTarget.name}” also keeps its last ${chosenTarget.keepLast} backups across everything on it.`}
        </p>
        <div className="grid gap-3 sm:grid-cols-3">
          {KEEP_FIELDS.map((f) => (
            <TargetField
              key={f.name}
              name={f.name}
              label={f.label}
              inputMode="numeric"
              value={keep[f.name]}
              onChange={(e) => setKeep((now) => ({ ...now, [f.name]: e.target.value }))}
              hint={f.hint}
              error={fields[f.name]}
            />
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending || choices.targets.length === 0}>
          {pending ? 'Saving…' : schedule ? 'Save changes' : 'Create schedule'}
        </Button>
        <Link className={buttonVariants({ variant: 'outline' })} href={schedule ? `/schedules/${schedule.id}` : '/schedules'}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
