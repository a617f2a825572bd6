'use client';
import { type FormEvent, useActionState, useEffect, useRef, useTransition } from 'react';
import { toast } from 'sonner';
import { installLicenseAction } from '@/app/(app)/settings/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';

/** Paste a license token and install it; the server verifies it and says what is wrong. */
export function LicenseForm({ replacing }: { replacing: boolean }) {
  const [state, dispatch, pending] = useActionState(installLicenseAction, null);
  const [, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!state?.ok) return;
    toast.success(`${state.data.plan} license for ${state.data.licensee} installed.`);
    formRef.current?.reset();
  }, [state]);

  // Through a transition, so a refused license stays in the box to be corrected.
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  }

  const error = state && !state.ok ? state.error : null;
  return (
    <form ref={formRef} onSubmit={onSubmit} className="grid max-w-2xl gap-2" noValidate>
      <Label htmlFor="license-token">{replacing ? 'Replace with another license' : 'License'}</Label>
      <Textarea
        id="license-token"
        name="license"
        required
        spellCheck={false}
        autoComplete="off"
        className="font-mono text-xs"
        placeholder="coblic1.…"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'license-token-error' : 'license-token-hint'}
      />
      {error ? (
        <Alert tone="danger" id="license-token-error">
          {error}
        </Alert>
      ) : (
        <p id="license-token-hint" className="text-xs text-muted-foreground">
          Paste the license exactly as you received it; line breaks do not matter.
        </p>
      )}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Checking…' : 'Install license'}
        </Button>
      </div>
    </form>
  );
}
