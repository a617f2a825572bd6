'use client';
import Link from 'next/link';
import { type FormEvent, useActionState, useState, useTransition } from 'react';
import { createTargetAction, updateTargetAction } from '@/app/(app)/targets/actions';
import { Alert } from '@/components/ui/alert';
import { Button, buttonVariants } from '@/components/ui/button';
import type { TargetKind } from '@/lib/core/targets/target-input';
import type { TargetView } from '@/lib/core/targets/targets';
import { TargetField } from './target-field';
import { TargetKindChoice } from './target-kind-choice';
import { LocalFields, S3Fields, SftpFields } from './target-kind-fields';

// The fields each form shows; an error for any other field is shown above the form.
const SHOWN_FIELDS: Record<TargetKind, string[]> = {
  local: ['name', 'keepLast', 'path'],
  s3: ['name', 'keepLast', 'endpoint', 'region', 'bucket', 'accessKeyId', 'secretAccessKey', 'prefix', 'caCertificate'],
  sftp: ['name', 'keepLast', 'host', 'port', 'username', 'auth.password', 'auth.privateKey', 'auth.passphrase', 'remotePath'],
};

/**
 * Adds a target (one form per kind) or edits one (pre-filled, secrets never included). The
 * server validates; its message for each field appears beside that field.
 */
export function TargetForm({ target }: { target?: TargetView }) {
  const action = target ? updateTargetAction.bind(null, target.name) : createTargetAction;
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [kind, setKind] = useState<TargetKind>(target?.kind ?? 'local');
  const errors = state && !state.ok ? (state.fields ?? {}) : {};
  const unplaced = Object.keys(errors).some((field) => !SHOWN_FIELDS[kind].includes(field));

  // Submitting through a transition instead of the form's action prop keeps what the user
  // typed when the server sends back field errors (React resets action-prop forms).
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  }

  const fieldProps = { target, errors };
  return (
    <form onSubmit={onSubmit} className="grid max-w-xl gap-4" noValidate>
      {target ? <input type="hidden" name="kind" value={target.kind} /> : <TargetKindChoice kind={kind} onChange={setKind} />}
      <TargetField name="name" label="Name" defaultValue={target?.name} placeholder="USB disk" error={errors.name} />
      {kind === 'local' && <LocalFields key="local" {...fieldProps} />}
      {kind === 's3' && <S3Fields key="s3" {...fieldProps} />}
      {kind === 'sftp' && <SftpFields key="sftp" {...fieldProps} />}
      <TargetField
        name="keepLast"
        label="Keep last (optional)"
        inputMode="numeric"
        defaultValue={target?.keepLast ?? ''}
        hint="Retention keeps the N newest backups on this target, scheduled or made by hand, besides what each schedule keeps; older ones that no rule keeps are deleted after each backup. Leave empty: only the schedules’ own rules delete."
        error={errors.keepLast}
      />
      {state && !state.ok && (Object.keys(errors).length === 0 || unplaced) && <Alert tone="danger">{state.error}</Alert>}
      {state && !state.ok && !unplaced && Object.keys(errors).length > 0 && (
        <Alert tone="danger">Some fields need a correction: see the messages beside them.</Alert>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : target ? 'Save changes' : 'Add target'}
        </Button>
        <Link className={buttonVariants({ variant: 'outline' })} href="/targets">
          Cancel
        </Link>
      </div>
    </form>
  );
}
