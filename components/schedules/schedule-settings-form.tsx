'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { updateScheduleSettingsAction } from '@/app/(app)/schedules/actions';
import { TargetField } from '@/components/targets/target-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The instance time zone (every cron time and retention day is read there) and the grace window for missed runs. */
export function ScheduleSettingsForm({
  timeZone,
  graceMinutes,
  zones,
  fallback,
}: {
  timeZone: string;
  graceMinutes: number;
  zones: string[];
  /** The zone used without the setting: the TZ variable of the server. */
  fallback: string;
}) {
  const router = useRouter();
  const [zone, setZone] = useState(timeZone);
  const [grace, setGrace] = useState(String(graceMinutes));
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const minutes = /^\d+$/.test(grace.trim()) ? Number(grace.trim()) : grace;
      const result = await updateScheduleSettingsAction({ timeZone: zone, graceMinutes: minutes });
      if (!result.ok) {
        setError({ message: result.error, fields: result.fields ?? {} });
        return;
      }
      setError(null);
      toast.success('Schedule settings saved.');
      router.refresh();
    });
  }

  const fields = error?.fields ?? {};
  return (
    <form onSubmit={submit} className="grid max-w-xl gap-4" noValidate aria-label="Schedule settings">
      <div className="grid gap-1.5">
        <label htmlFor="schedule-time-zone" className="text-sm font-medium">
          Time zone
        </label>
        <select
          id="schedule-time-zone"
          className="h-9 rounded-md border bg-background px-3 text-sm"
          value={zone}
          onChange={(e) => setZone(e.target.value)}
          aria-describedby="schedule-time-zone-hint"
        >
          {(zones.includes(zone) ? zones : [zone, ...zones]).map((z) => (
            <option key={z} value={z}>
              {z}
              {z === fallback ? ' (server default)' : ''}
            </option>
          ))}
        </select>
        <p id="schedule-time-zone-hint" className="text-xs text-muted-foreground">
          Cron times are wall-clock times in this zone, across daylight-saving changes; retention’s days and weeks are its
          calendar.
        </p>
        {fields.timeZone && <p className="text-xs font-medium text-destructive">{fields.timeZone}</p>}
      </div>
      <TargetField
        name="graceMinutes"
        label="Grace window for missed runs (minutes)"
        inputMode="numeric"
        value={grace}
        onChange={(e) => setGrace(e.target.value)}
        hint="A run the worker could not start on time (it was stopped or busy) still starts if it is at most this late; older ones are recorded as missed."
        error={fields.graceMinutes}
      />
      {error && Object.keys(fields).length === 0 && <Alert tone="danger">{error.message}</Alert>}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : 'Save settings'}
        </Button>
      </div>
    </form>
  );
}
