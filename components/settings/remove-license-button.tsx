'use client';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { removeLicenseAction } from '@/app/(app)/settings/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

export function RemoveLicenseButton() {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function remove() {
    startTransition(async () => {
      const result = await removeLicenseAction();
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success('License removed.');
      setOpen(false);
    });
  }

  return (
    <div>
      <Button variant="outline" onClick={() => setOpen(true)}>
        Remove license
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Remove the license?">
        <div className="grid gap-3 text-sm">
          <p>The Free plan applies again: licensed features stop at once. You can install the license again later.</p>
          {error && <Alert tone="danger">{error}</Alert>}
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setOpen(false)} disabled={pending}>
              Keep it
            </Button>
            <Button variant="destructive" onClick={remove} disabled={pending}>
              Remove license
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
