'use client';
import { Copy } from 'lucide-react';
import { type FormEvent, useActionState, useEffect, useRef, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { type CreatedApiToken, createApiTokenAction } from '@/app/(app)/settings/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

/** The one time a token is visible: held in this component's state only, gone on Done or reload. */
function CreatedToken({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  async function copy() {
    try {
      await navigator.clipboard.writeText(created.token);
      toast.success('Token copied.');
    } catch {
      toast.error('The browser did not allow copying; select the token instead.');
    }
  }
  return (
    <Alert tone="warning" aria-label="New API token">
      <p className="font-medium">Token “{created.view.name}” created. Copy it now: it will not be shown again.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code
          className="w-full select-all break-all rounded border bg-background px-2 py-1 text-xs sm:w-auto sm:min-w-0 sm:flex-1"
          data-testid="new-api-token"
        >
          {created.token}
        </code>
        <Button type="button" variant="outline" size="sm" onClick={copy}>
          <Copy /> Copy
        </Button>
        <Button type="button" size="sm" onClick={onDone}>
          Done
        </Button>
      </div>
    </Alert>
  );
}

export function NewApiTokenForm() {
  const [state, dispatch, pending] = useActionState(createApiTokenAction, null);
  const [, startTransition] = useTransition();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!state?.ok) return;
    setCreated(state.data);
    formRef.current?.reset();
  }, [state]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setCreated(null);
    startTransition(() => dispatch(data));
  }

  const error = state && !state.ok ? (state.fields?.name ?? state.error) : null;
  return (
    <div className="grid gap-3">
      <form ref={formRef} onSubmit={onSubmit} className="flex max-w-xl flex-wrap items-end gap-2" noValidate>
        <div className="grid min-w-48 flex-1 gap-1.5">
          <Label htmlFor="api-token-name">Token name</Label>
          <Input
            id="api-token-name"
            name="name"
            placeholder="nightly health check"
            maxLength={100}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'api-token-name-error' : undefined}
          />
        </div>
        <Button type="submit" disabled={pending}>
          Create token
        </Button>
      </form>
      {error && (
        <p id="api-token-name-error" className="text-xs font-medium text-destructive">
          {error}
        </p>
      )}
      {created && <CreatedToken created={created} onDone={() => setCreated(null)} />}
    </div>
  );
}
