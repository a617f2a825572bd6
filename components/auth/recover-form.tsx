'use client';
import { type FormEvent, useActionState, useRef, useState, useTransition } from 'react';
import { recoverAction, testRecoveryTargetAction } from '@/app/setup/actions';
import { ConnectionTestResult } from '@/components/targets/connection-test-result';
import { TargetField } from '@/components/targets/target-field';
import { TargetKindChoice } from '@/components/targets/target-kind-choice';
import { LocalFields, S3Fields, SftpFields } from '@/components/targets/target-kind-fields';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ConnectionTest } from '@/lib/core/storage/storage-target';
import type { TargetKind } from '@/lib/core/targets/target-input';

// The field lib/server/recovery-form-data.ts takes the passphrase from.
const PASSPHRASE_FIELD = 'backupPassphrase';

// The fields this form shows; an error for any other field is shown above the buttons.
const SHOWN_FIELDS: Record<TargetKind, string[]> = {
  local: ['name', 'path'],
  s3: ['name', 'endpoint', 'region', 'bucket', 'accessKeyId', 'secretAccessKey', 'prefix', 'caCertificate'],
  sftp: ['name', 'host', 'port', 'username', 'auth.password', 'auth.privateKey', 'auth.passphrase', 'remotePath'],
};

type TestState = { name: string; result?: ConnectionTest; error?: string };

/**
 * The setup page's "Restore from backups": the old server's target (the Targets form's fields),
 * a connection test that stores nothing, and the old backup passphrase. Nothing is set up
 * unless backups open; on success the server signs the browser in and sends it to
 * /setup/recover. Every typed field stays when the server answers with an error.
 */
export function RecoverForm() {
  const [state, dispatch, submitting] = useActionState(recoverAction, null);
  const [, startSubmit] = useTransition();
  const [testing, startTest] = useTransition();
  const [kind, setKind] = useState<TargetKind>('local');
  const [test, setTest] = useState<TestState | null>(null);
  const [testFields, setTestFields] = useState<Record<string, string>>({});
  // Field messages come from whichever of the two buttons was used last.
  const [lastRun, setLastRun] = useState<'test' | 'submit'>('submit');
  const formRef = useRef<HTMLFormElement>(null);

  const submitFields = state && !state.ok ? (state.fields ?? {}) : {};
  const errors = lastRun === 'test' ? testFields : submitFields;
  const placed =
    Object.keys(errors).length > 0 && Object.keys(errors).every((f) => f === 'passphrase' || SHOWN_FIELDS[kind].includes(f));

  function changeKind(next: TargetKind) {
    setKind(next);
    setTest(null);
    setTestFields({});
  }

  function runTest() {
    if (!formRef.current) return;
    const data = new FormData(formRef.current);
    data.delete(PASSPHRASE_FIELD); // a connection test has no use for it
    const name = String(data.get('name') ?? '');
    setLastRun('test');
    setTest({ name });
    startTest(async () => {
      const outcome = await testRecoveryTargetAction(data);
      setTestFields(outcome.ok ? {} : (outcome.fields ?? {}));
      setTest(outcome.ok ? { name, result: outcome.data } : { name, error: outcome.error });
    });
  }

  // Submitting through a transition instead of the form's action prop keeps what the user
  // typed when the server answers with an error (React resets action-prop forms).
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setLastRun('submit');
    startSubmit(() => dispatch(data));
  }

  const busy = submitting || testing;
  return (
    <form ref={formRef} onSubmit={onSubmit} className="grid gap-4" noValidate>
      <p className="text-sm text-muted-foreground">
        The target where the old server stored its backups: the same directory, bucket and folder, or remote directory.
      </p>
      <TargetKindChoice kind={kind} onChange={changeKind} />
      <TargetField
        name="name"
        label="Name"
        defaultValue="Backups"
        hint="What this server calls the target; you can rename it later."
        error={errors.name}
      />
      {kind === 'local' && <LocalFields key="local" errors={errors} />}
      {kind === 's3' && <S3Fields key="s3" errors={errors} />}
      {kind === 'sftp' && <SftpFields key="sftp" errors={errors} />}
      <div className="grid gap-3">
        <div>
          <Button type="button" variant="outline" onClick={runTest} disabled={busy}>
            {testing ? 'Testing…' : 'Test connection'}
          </Button>
        </div>
        {test && !testing && (
          <div aria-live="polite" className="grid gap-2">
            {test.error && <Alert tone="danger">{test.error}</Alert>}
            {test.result && <ConnectionTestResult name={test.name} result={test.result} onRetest={runTest} />}
          </div>
        )}
      </div>
      <TargetField
        name={PASSPHRASE_FIELD}
        label="Backup passphrase of the old server"
        type="password"
        autoComplete="off"
        hint="The passphrase its backups were made with (the newest one, if you changed it). This server keeps it as its own."
        error={errors.passphrase}
      />
      {state && !state.ok && lastRun === 'submit' && (
        <Alert tone="danger">{placed ? 'Some fields need a correction: see the messages beside them.' : state.error}</Alert>
      )}
      <Button type="submit" disabled={busy}>
        {submitting ? 'Opening the backups…' : 'Restore from these backups'}
      </Button>
    </form>
  );
}
