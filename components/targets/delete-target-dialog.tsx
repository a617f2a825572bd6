'use client';
import { useEffect, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { removeTargetAction, targetDependentsAction } from '@/app/(app)/targets/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { TargetDependents } from '@/lib/core/targets/remove-target';

type Loaded = { ok: true; data: TargetDependents } | { ok: false; error: string } | null;

/** Confirms removing a target, saying first what depends on it. */
export function DeleteTargetDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  const [dependents, setDependents] = useState<Loaded>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    setDependents(null);
    setError(null);
    if (!name) return;
    let current = true;
    targetDependentsAction(name).then((result) => {
      if (current) setDependents(result.ok ? result : { ok: false, error: result.error });
    });
    return () => {
      current = false;
    };
  }, [name]);

  function remove(forgetBackups: boolean) {
    if (!name) return;
    startTransition(async () => {
      const result = await removeTargetAction(name, forgetBackups);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(`Target “${name}” deleted.`);
      onClose();
    });
  }

  const backups = dependents?.ok ? dependents.data.backups : null;
  return (
    <Dialog open={name !== null} onClose={onClose} title={`Delete target “${name ?? ''}”?`}>
      <div className="grid gap-3 text-sm">
        {!dependents && <p className="text-muted-foreground">Checking what uses this target…</p>}
        {dependents && !dependents.ok && <Alert tone="danger">{dependents.error}</Alert>}
        {backups && backups.count === 0 && (
          <p>No backups in the catalog use this target. Its settings are removed; files already stored there stay untouched.</p>
        )}
        {backups && backups.count > 0 && (
          <p>
            {backups.count === 1 ? '1 backup in the catalog uses' : `${backups.count} backups in the catalog use`} this target
            {backups.latestAt && <> (the latest from {new Date(backups.latestAt).toLocaleString()})</>}. Deleting the target also
            forgets them from the catalog. The files on the target stay: add the target again to reach them.
          </p>
        )}
        {backups && backups.running > 0 && (
          <Alert tone="warning">A backup to this target is running. Wait for it to finish or cancel it first.</Alert>
        )}
        {error && <Alert tone="danger">{error}</Alert>}
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="outline" onClick={onClose} disabled={pending}>
            Keep it
          </Button>
          {backups && backups.running === 0 && (
            <Button
              variant="destructive"
              className="h-auto min-h-9 whitespace-normal text-left"
              disabled={pending}
              onClick={() => remove(backups.count > 0)}
            >
              {backups.count === 0
                ? 'Delete target'
                : `Delete and forget its ${backups.count === 1 ? 'backup' : `${backups.count} backups`} from the catalog (the files on the target stay)`}
            </Button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
