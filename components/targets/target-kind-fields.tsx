'use client';
import { useState } from 'react';
import type { TargetView } from '@/lib/core/targets/targets';
import { TargetField } from './target-field';

export interface KindFieldsProps {
  /** The target being edited; absent when adding one. */
  target?: TargetView;
  errors: Record<string, string>;
}

const KEEP_SECRET = 'Leave empty to keep the current secret.';

function configOf(target: TargetView | undefined): Record<string, string> {
  const config = target?.config ?? {};
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v === undefined || v === null ? '' : String(v)]));
}

export function LocalFields({ target, errors }: KindFieldsProps) {
  const c = configOf(target);
  return (
    <TargetField
      name="path"
      label="Directory"
      defaultValue={c.path}
      placeholder="/mnt/usb-disk/backups"
      hint="An absolute path on this server, e.g. a mounted USB disk. It must exist and be writable."
      error={errors.path}
    />
  );
}

export function S3Fields({ target, errors }: KindFieldsProps) {
  const c = configOf(target);
  return (
    <>
      <TargetField
        name="endpoint"
        label="Endpoint"
        defaultValue={c.endpoint}
        placeholder="https://s3.example.com"
        hint="Leave empty for Amazon S3. For MinIO, Ceph, Backblaze B2, Wasabi…: the service's URL."
        error={errors.endpoint}
      />
      <TargetField name="region" label="Region" defaultValue={c.region ?? 'us-east-1'} error={errors.region} />
      <TargetField name="bucket" label="Bucket" defaultValue={c.bucket} error={errors.bucket} />
      <TargetField
        name="accessKeyId"
        label="Access key ID"
        defaultValue={c.accessKeyId}
        autoComplete="off"
        error={errors.accessKeyId}
      />
      <TargetField
        name="secretAccessKey"
        label="Secret access key"
        type="password"
        autoComplete="new-password"
        placeholder={target ? KEEP_SECRET : undefined}
        hint={target ? KEEP_SECRET : undefined}
        error={errors.secretAccessKey}
      />
      <TargetField
        name="prefix"
        label="Folder in the bucket (optional)"
        defaultValue={c.prefix}
        placeholder="cloudos"
        error={errors.prefix}
      />
      <TargetField
        name="caCertificate"
        label="CA certificate (optional)"
        multiline
        spellCheck={false}
        defaultValue={c.caCertificate}
        placeholder="-----BEGIN CERTIFICATE-----"
        hint="Only for an HTTPS endpoint with a self-signed certificate or a private CA: paste the CA certificate (PEM)."
        error={errors.caCertificate}
      />
    </>
  );
}

export function SftpFields({ target, errors }: KindFieldsProps) {
  const c = configOf(target);
  const [method, setMethod] = useState<'password' | 'key'>(c.authMethod === 'key' ? 'key' : 'password');
  // Stored secrets can be kept only while the login method stays the same.
  const canKeep = target !== undefined && c.authMethod === method;
  return (
    <>
      <TargetField
        name="host"
        label="Host"
        defaultValue={c.host}
        placeholder="nas.local"
        hint={target ? 'Changing the host or port forgets the trusted host key; the next test trusts the new server.' : undefined}
        error={errors.host}
      />
      <TargetField name="port" label="Port" inputMode="numeric" defaultValue={c.port || '22'} error={errors.port} />
      <TargetField name="username" label="Username" defaultValue={c.username} autoComplete="off" error={errors.username} />
      <fieldset className="grid gap-2 rounded-md border p-3">
        <legend className="px-1 text-sm font-medium">Login method</legend>
        {(['password', 'key'] as const).map((m) => (
          <label key={m} className="flex items-center gap-2 text-sm">
            <input type="radio" name="auth.method" value={m} checked={method === m} onChange={() => setMethod(m)} />
            {m === 'password' ? 'Use a password' : 'Use a private key'}
          </label>
        ))}
        {method === 'password' ? (
          <TargetField
            name="auth.password"
            label="Password"
            type="password"
            autoComplete="new-password"
            placeholder={canKeep ? KEEP_SECRET : undefined}
            hint={canKeep ? KEEP_SECRET : undefined}
            error={errors['auth.password']}
          />
        ) : (
          <>
            <TargetField
              name="auth.privateKey"
              label="Private key"
              multiline
              spellCheck={false}
              placeholder={canKeep ? KEEP_SECRET : '-----BEGIN OPENSSH PRIVATE KEY-----'}
              hint={canKeep ? KEEP_SECRET : 'Paste the whole key file (OpenSSH or PEM).'}
              error={errors['auth.privateKey']}
            />
            <TargetField
              name="auth.passphrase"
              label="Key passphrase (optional)"
              type="password"
              autoComplete="new-password"
              hint={canKeep ? 'Leave empty to keep the current one; a new key needs its own passphrase here.' : undefined}
              error={errors['auth.passphrase']}
            />
          </>
        )}
      </fieldset>
      <TargetField
        name="remotePath"
        label="Remote directory"
        defaultValue={c.remotePath}
        placeholder="/home/backup/cloudos"
        hint="An absolute path on the server that the user can write to."
        error={errors.remotePath}
      />
    </>
  );
}
