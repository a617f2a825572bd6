import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { seal, unseal } from '../crypto/seal';
import { AppError } from '../errors';
import { heldKeyContext } from '../keys/key-ring';
import { targetSecretContext } from '../targets/targets';

const secretsSchema = z.object({
  format: z.literal('cloudos-backup-secrets'),
  version: z.literal(1),
  secrets: z.array(z.object({ context: z.string().max(200), value: z.string().max(1024 * 1024) })),
});

/**
 * The key the secrets travel under: derived from the master key the backup is encrypted with,
 * so the passphrase that opens the backup opens them — and the instance key, which dies with
 * the server, is not needed.
 */
function systemSecretsKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'cloudos-backup v1 system secrets', 32));
}

/**
 * Every secret the backed-up database holds sealed with the instance key (targets' secrets,
 * held master keys), sealed again under the backup's master key with the same context. Read
 * from the database snapshot itself, so it matches the rows the backup holds.
 */
export function exportSystemSecrets(snapshotFile: string, instanceKey: Buffer, masterKey: Buffer): Buffer {
  const snapshot = new Database(snapshotFile, { readonly: true, fileMustExist: true });
  let sealed: { context: string; value: string }[];
  try {
    const targets = snapshot.prepare('SELECT id, secrets FROM Target WHERE secrets IS NOT NULL').all() as {
      id: string;
      secrets: string;
    }[];
    const keys = snapshot.prepare('SELECT keyId, sealedKey FROM MasterKey').all() as { keyId: string; sealedKey: string }[];
    sealed = [
      ...targets.map((t) => ({ context: targetSecretContext(t.id), value: t.secrets })),
      ...keys.map((k) => ({ context: heldKeyContext(k.keyId), value: k.sealedKey })),
    ];
  } finally {
    snapshot.close();
  }
  const key = systemSecretsKey(masterKey);
  const secrets = sealed.map(({ context, value }) => ({
    context,
    value: seal(key, context, unseal(instanceKey, context, value)),
  }));
  return Buffer.from(`${JSON.stringify({ format: 'cloudos-backup-secrets', version: 1, secrets }, null, 2)}\n`);
}

/** The secrets of a restored system part, by context; every one must open, or none is used. */
export function readSystemSecrets(file: string, masterKey: Buffer): Map<string, string> {
  const damaged = (why: string) =>
    new AppError('corrupted', `The backed-up secrets (system/secrets.json) ${why}; nothing was changed.`);
  let parsed: z.infer<typeof secretsSchema>;
  try {
    parsed = secretsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    throw damaged('are damaged');
  }
  const key = systemSecretsKey(masterKey);
  const out = new Map<string, string>();
  for (const { context, value } of parsed.secrets) {
    try {
      out.set(context, unseal(key, context, value));
    } catch {
      throw damaged('do not open with the key of this backup');
    }
  }
  return out;
}
