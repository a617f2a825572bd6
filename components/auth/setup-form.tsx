'use client';
import Link from 'next/link';
import { useActionState, useState } from 'react';
import { type SetupResult, setupAction } from '@/app/setup/actions';
import { Alert } from '@/components/ui/alert';
import { Button, buttonVariants } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

function Field({ id, label, hint, ...props }: { id: string; label: string; hint?: string } & React.ComponentProps<'input'>) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={id} aria-describedby={hint ? `${id}-hint` : undefined} {...props} />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
    </div>
  );
}

function SetupDone({ result }: { result: Extract<SetupResult, { ok: true }>['data'] }) {
  return (
    <div className="grid gap-4">
      <Alert tone="info">The admin account “{result.username}” is ready.</Alert>
      {result.generatedPassphrase && (
        <div className="grid gap-2">
          <Alert tone="warning">
            <strong>Write this passphrase down now — it is shown only once.</strong> Without it, your backups cannot be restored
            on another server (for example after this one's disk dies).
          </Alert>
          <output
            aria-label="Generated backup passphrase"
            className="rounded-md border bg-muted p-3 text-center font-mono text-lg tracking-wider select-all"
          >
            {result.generatedPassphrase}
          </output>
        </div>
      )}
      <Link className={buttonVariants()} href="/login">
        Continue to sign in
      </Link>
    </div>
  );
}

export function SetupForm() {
  const [state, action, pending] = useActionState(setupAction, null);
  const [mode, setMode] = useState<'choose' | 'generate'>('choose');
  if (state?.ok) return <SetupDone result={state.data} />;
  return (
    <form action={action} className="grid gap-4">
      <Field id="username" label="Admin username" autoComplete="username" required minLength={3} maxLength={64} />
      <Field
        id="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        hint="At least 12 characters."
      />
      <Field id="passwordConfirm" label="Confirm password" type="password" autoComplete="new-password" required minLength={12} />
      <fieldset className="grid gap-2 rounded-md border p-3">
        <legend className="px-1 text-sm font-medium">Backup encryption passphrase</legend>
        <p className="text-xs text-muted-foreground">
          Every backup is encrypted with it. You need it to restore on a new server, so keep a copy somewhere other than this
          server.
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="passphraseMode"
            value="choose"
            checked={mode === 'choose'}
            onChange={() => setMode('choose')}
          />{' '}
          Choose my own
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="passphraseMode"
            value="generate"
            checked={mode === 'generate'}
            onChange={() => setMode('generate')}
          />{' '}
          Generate a strong one for me
        </label>
        {mode === 'choose' && (
          <>
            <Field
              id="passphrase"
              label="Passphrase"
              type="password"
              autoComplete="off"
              required
              minLength={12}
              hint="At least 12 characters."
            />
            <Field id="passphraseConfirm" label="Confirm passphrase" type="password" autoComplete="off" required minLength={12} />
          </>
        )}
      </fieldset>
      {state && !state.ok && <Alert tone="danger">{state.error}</Alert>}
      <Button type="submit" disabled={pending}>
        {pending ? 'Setting up…' : 'Create admin account'}
      </Button>
    </form>
  );
}
