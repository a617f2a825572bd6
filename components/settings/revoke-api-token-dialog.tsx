'use client';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { revokeApiTokenAction } from '@/app/(app)/settings/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import type { ApiTokenView } from '@/lib/core/api-tokens/api-tokens';

export function RevokeApiTokenDialog({ token, onClose }: { token: ApiTokenView | null; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // The error belongs to one attempt: closing forgets it, so the next token starts clean.
  function close() {
    setError(null);
    onClose();
  }

  function revoke() {
    if (!token) return;
    startTransition(async () => {
      const result = await revokeApiTokenAction(token.id);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(`API token “${token.name}” revoked.`);
      close();
    });
  }

  return (
    <Dialog open={token !== null} onClose={close} title={`Revoke API token “${token?.name ?? ''}”?`}>
      <div className="grid gap-3 text-sm">
        <p>Scripts using it are refused from the next request on (401). This cannot be undone; create a new token instead.</p>
        {error && <Alert tone="danger">{error}</Alert>}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={close} disabled={pending}>
            Keep it
          </Button>
          <Button variant="destructive" onClick={revoke} disabled={pending}>
            Revoke token
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
