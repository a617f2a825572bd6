import { formatBytes } from '@/components/jobs/format';
import type { RestorePreviewApp } from '@/lib/core/restore/restore-preview';

/**
 * Step 2: one checkbox per app of the backup (an app that cannot be restored on this host is
 * disabled with the reason), and the system part as its own choice, disabled while the engine
 * refuses it.
 */
export function ChooseApps({
  apps,
  chosen,
  onToggle,
  system,
}: {
  apps: RestorePreviewApp[];
  chosen: string[];
  onToggle: (id: string, on: boolean) => void;
  /** null when the backup holds no system part; else why it cannot be chosen. */
  system: { unavailable: string } | null;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">What to restore</legend>
      {apps.map((app) => (
        <label key={app.id} className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            disabled={app.problem !== null}
            checked={chosen.includes(app.id)}
            onChange={(e) => onToggle(app.id, e.target.checked)}
          />
          <span>
            {app.id}
            <span className="block text-xs text-muted-foreground">
              {formatBytes(app.bytes)}, {app.files.toLocaleString()} files
            </span>
            {app.problem && <span className="block text-xs text-destructive">Cannot be restored: {app.problem}</span>}
          </span>
        </label>
      ))}
      {system && (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-1" disabled checked={false} readOnly />
          <span>
            System settings and user accounts
            <span className="block text-xs text-muted-foreground">{system.unavailable}</span>
          </span>
        </label>
      )}
    </fieldset>
  );
}
