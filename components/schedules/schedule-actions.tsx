'use client';
import { Pause, Pencil, Play, Power, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { removeScheduleAction, runScheduleNowAction, setScheduleEnabledAction } from '@/app/(app)/schedules/actions';
import { Alert } from '@/components/ui/alert';
import { Button, buttonVariants } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

/**
 * Run now (then follow the job), enable / disable, edit and delete (confirmed) for one
 * schedule. `compact` is the list's row version; the schedule page shows labels in full.
 */
export function ScheduleActions({
  schedule,
  compact = false,
}: {
  schedule: { id: string; name: string; enabled: boolean };
  compact?: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const size = compact ? 'sm' : 'default';

  function runNow() {
    startTransition(async () => {
      const result = await runScheduleNowAction(schedule.name);
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      router.push(`/jobs/${result.data.jobId}`);
    });
  }

  function toggle() {
    startTransition(async () => {
      const result = await setScheduleEnabledAction(schedule.name, !schedule.enabled);
      if (!result.ok) toast.error(result.error);
      else toast.success(`Schedule “${schedule.name}” ${schedule.enabled ? 'disabled' : 'enabled'}.`);
      router.refresh();
    });
  }

  function remove() {
    startTransition(async () => {
      const result = await removeScheduleAction(schedule.name);
      if (!result.ok) {
        setDeleteError(result.error);
        return;
      }
      toast.success(`Schedule “${schedule.name}” deleted.`);
      setConfirming(false);
      router.push('/schedules');
      router.refresh();
    });
  }

  return (
    <div className={compact ? 'flex justify-end gap-1' : 'flex flex-wrap gap-2'}>
      <Button size={size} variant="outline" disabled={pending} onClick={runNow} aria-label={`Run ${schedule.name} now`}>
        <Play /> Run now
      </Button>
      <Button
        size={size}
        variant="outline"
        disabled={pending}
        onClick={toggle}
        aria-label={`${schedule.enabled ? 'Disable' : 'Enable'} ${schedule.name}`}
      >
        {schedule.enabled ? <Pause /> : <Power />} {schedule.enabled ? 'Disable' : 'Enable'}
      </Button>
      <Link
        className={buttonVariants({ size: compact ? 'icon' : size, variant: 'ghost' })}
        href={`/schedules/${schedule.id}/edit`}
        aria-label={`Edit ${schedule.name}`}
        title="Edit"
      >
        <Pencil /> {!compact && 'Edit'}
      </Link>
      <Button
        size={compact ? 'icon' : size}
        variant="ghost"
        title="Delete"
        disabled={pending}
        onClick={() => {
          setDeleteError(null);
          setConfirming(true);
        }}
        aria-label={`Delete ${schedule.name}`}
      >
        <Trash2 /> {!compact && 'Delete'}
      </Button>
      <Dialog open={confirming} onClose={() => setConfirming(false)} title={`Delete schedule “${schedule.name}”?`}>
        <div className="grid gap-3 text-sm">
          <p>
            The schedule and its run history are removed; it will not run again. Its backups stay in the catalog and on the
            target, like backups made by hand. A run already queued still happens, without retention.
          </p>
          {deleteError && <Alert tone="danger">{deleteError}</Alert>}
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setConfirming(false)} disabled={pending}>
              Keep it
            </Button>
            <Button variant="destructive" onClick={remove} disabled={pending}>
              Delete schedule
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
