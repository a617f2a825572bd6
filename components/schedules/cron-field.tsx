'use client';
import { useEffect, useRef, useState } from 'react';
import { type CronPreviewResult, previewCronAction } from '@/app/(app)/schedules/actions';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

const PRESETS = [
  { name: 'hourly', label: 'Hourly', cron: '0 * * * *' },
  { name: 'daily', label: 'Daily', cron: '0 2 * * *' },
  { name: 'weekly', label: 'Weekly', cron: '0 2 * * 0' },
  { name: 'monthly', label: 'Monthly', cron: '0 2 1 * *' },
] as const;

type Preview = { ok: true; data: CronPreviewResult } | { ok: false; error: string } | null;

/**
 * The "when" of a schedule: preset buttons or any cron expression, and — live while typing —
 * what it means and its next five runs in the instance time zone, computed on the server by
 * the same code that will run the schedule.
 */
export function CronField({
  value,
  onChange,
  initialPreview,
  error,
}: {
  value: string;
  onChange: (cron: string) => void;
  initialPreview: CronPreviewResult | null;
  error?: string;
}) {
  const [preview, setPreview] = useState<Preview>(initialPreview ? { ok: true, data: initialPreview } : null);
  const [checking, setChecking] = useState(false);
  const latest = useRef(0);
  const first = useRef(true);

  useEffect(() => {
    // The server already computed the preview of the initial value.
    if (first.current && initialPreview) {
      first.current = false;
      return;
    }
    first.current = false;
    const request = ++latest.current;
    setChecking(true);
    const timer = setTimeout(() => {
      previewCronAction(value).then((result) => {
        if (request !== latest.current) return; // a newer keystroke is on its way
        setChecking(false);
        setPreview(result.ok ? result : { ok: false, error: result.error });
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [value, initialPreview]);

  const activePreset = PRESETS.find((p) => p.cron === value.trim().replace(/\s+/g, ' '))?.name;
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">When</legend>
      <fieldset className="flex flex-wrap gap-2">
        <legend className="sr-only">Presets</legend>
        {PRESETS.map((p) => (
          <Button
            key={p.name}
            type="button"
            size="sm"
            variant={activePreset === p.name ? 'default' : 'outline'}
            aria-pressed={activePreset === p.name}
            onClick={() => onChange(p.cron)}
          >
            {p.label}
          </Button>
        ))}
      </fieldset>
      <div className="grid gap-1.5">
        <Label htmlFor="schedule-cron">Cron expression</Label>
        <Input
          id="schedule-cron"
          className="font-mono"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="0 2 * * *"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error || (preview && !preview.ok) ? true : undefined}
          aria-describedby="schedule-cron-hint schedule-cron-preview"
        />
        <p id="schedule-cron-hint" className="text-xs text-muted-foreground">
          Five fields: minute, hour, day of month, month, day of week (0 = Sunday), e.g. <code>30 3 * * 1-5</code> for 03:30 on
          weekdays.
        </p>
      </div>
      <section
        id="schedule-cron-preview"
        aria-label="Schedule preview"
        aria-live="polite"
        className="rounded-md border bg-muted/30 p-3 text-sm"
      >
        {preview === null && <p className="text-muted-foreground">Checking…</p>}
        {preview && !preview.ok && <p className="font-medium text-destructive">{preview.error}</p>}
        {preview?.ok && (
          <>
            <p className="font-medium" data-testid="cron-description">
              {preview.data.description}
            </p>
            <p className="mt-2 text-xs text-muted-foreground">Next runs ({preview.data.timeZone}):</p>
            <ol className="mt-1 grid gap-0.5" aria-label="Next runs">
              {preview.data.nextRuns.map((run) => (
                <li key={run.at}>
                  <time dateTime={run.at}>{run.label}</time>
                </li>
              ))}
            </ol>
          </>
        )}
        {checking && preview !== null && <p className="mt-1 text-xs text-muted-foreground">Checking…</p>}
      </section>
      {error && <p className="text-xs font-medium text-destructive">{error}</p>}
    </fieldset>
  );
}
