import { formatBytes } from '@/components/jobs/format';
import type { RestorePreviewApp } from '@/lib/core/restore/restore-preview';

/**
 * Step 2: one checkbox per app of the backup (an app that cannot be restored on this host is
 * disabled with the reason), and, for a full-system backup, "system settings and user accounts"
 * as its own choice — ticked for good in a recovery (`systemLocked`).
 */
export function ChooseApps({
  apps,
  chosen,
  onToggle,
  hasSystem,
  systemChosen,
  systemLocked = false,
  onToggleSystem,
}: {
  apps: RestorePreviewApp[];
  chosen: string[];
  onToggle: (id: string, on: boolean) => void;
  /** Whether the backup holds the system part (full-system backups do). */
  hasSystem: boolean;
  systemChosen: boolean;
  /** A recovery needs the system part: it stays ticked, and says why. */
  systemLocked?: boolean;
  onToggleSystem: (on: boolean) => void;
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
      {hasSystem && (
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            checked={systemChosen}
            disabled={systemLocked}
            aria-describedby={systemLocked ? 'system-locked-why' : undefined}
            onChange={(e) => onToggleSystem(e.target.checked)}
          />
          <span>
            System settings and user accounts
            <span className="block text-xs text-muted-foreground">
              Accounts, passwords and settings as they were at the backup. This server's backups, targets, schedules and jobs are
              kept.
            </span>
            {systemLocked && (
              <span id="system-locked-why" className="block text-xs font-medium">
                Always part of a recovery: it brings your old accounts back (and ends this recovery session).
              </span>
            )}
          </span>
        </label>
      )}
    </fieldset>
  );
}
