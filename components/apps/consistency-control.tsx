'use client';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { setConsistencyModeAction } from '@/app/(app)/apps/actions';
import type { ConsistencyMode } from '@/lib/core/apps/app-settings';

/** Switches an app's backup mode at once; a refused change is reported and the choice reverts. */
export function ConsistencyControl({ appId, mode, chosen }: { appId: string; mode: ConsistencyMode; chosen: boolean }) {
  const [value, setValue] = useState(mode);
  const [pending, startTransition] = useTransition();
  const id = `consistency-${appId}`;

  function change(next: ConsistencyMode) {
    const previous = value;
    setValue(next);
    startTransition(async () => {
      const result = await setConsistencyModeAction({ appId, mode: next });
      if (result.ok) toast.success(`${appId} will be backed up ${next === 'stop' ? 'stopped' : 'live'}.`);
      else {
        setValue(previous);
        toast.error(result.error);
      }
    });
  }

  return (
    <div className="grid gap-1">
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="text-sm font-medium">
          Backup mode
        </label>
        <select
          id={id}
          className="h-8 rounded-md border bg-background px-2 text-sm"
          value={value}
          disabled={pending}
          onChange={(e) => change(e.target.value as ConsistencyMode)}
        >
          <option value="stop">stop</option>
          <option value="live">live</option>
        </select>
        {!chosen && <span className="text-xs text-muted-foreground">(default for this app)</span>}
      </div>
      <p className="text-xs text-muted-foreground">
        stop: containers are stopped while this app's volumes are archived — safest for databases; live: archived while running.
      </p>
    </div>
  );
}
