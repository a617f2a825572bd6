import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { parseInput, splitSecrets, type TargetEditInput, type TargetInput, targetEditInput } from './target-input';
import { findTarget, nameTaken, sealSecrets, type TargetView, toTargetView, unsealSecrets } from './targets';

/**
 * Changes a target's settings, name included. Secrets left out of the input are kept; an SFTP
 * target switching between password and key needs the new secret. A new SFTP host or port
 * drops the pinned host key (the next successful test pins the new server's), and any change
 * to where or how it connects drops the last test result, which no longer applies.
 * The kind cannot change: the catalog's backups live in this target's storage.
 */
export async function updateTarget(db: Db, instanceKey: Buffer, name: string, rawInput: unknown): Promise<TargetView> {
  const row = await findTarget(db, name);
  const input = parseInput(targetEditInput, rawInput);
  if (input.kind !== row.kind) {
    const message = `A target's type cannot change (this one is ${row.kind}); add a new target instead.`;
    throw new AppError('invalid_input', message, { fields: { kind: message } });
  }
  if (input.name !== row.name && (await db.target.findUnique({ where: { name: input.name } }))) throw nameTaken(input.name);

  const storedConfig = JSON.parse(row.config) as Record<string, unknown>;
  const storedSecrets = unsealSecrets(instanceKey, row);
  const full = withStoredSecrets(input, storedConfig, storedSecrets);
  const { config, secrets } = splitSecrets(full);

  const connectionChanged =
    !isDeepStrictEqual(JSON.parse(JSON.stringify(config)), storedConfig) || !isDeepStrictEqual(secrets ?? {}, storedSecrets);
  const serverChanged =
    full.kind === 'sftp' && (full.host !== storedConfig.host || (full.port ?? 22) !== ((storedConfig.port as number) ?? 22));

  const updated = await db.target.update({
    where: { id: row.id },
    data: {
      name: full.name,
      config: JSON.stringify(config),
      secrets: sealSecrets(instanceKey, row.id, secrets),
      keepLast: full.keepLast ?? null,
      ...(serverChanged ? { hostKeySha256: null } : {}),
      ...(connectionChanged ? { lastTestAt: null, lastTestOk: null, lastTestMessage: null } : {}),
    },
  });
  return toTargetView(updated);
}

function missingSecret(field: string, message: string): AppError {
  return new AppError('invalid_input', message, { fields: { [field]: message } });
}

/** The edit input completed with the stored secrets it left out. */
function withStoredSecrets(
  input: TargetEditInput,
  storedConfig: Record<string, unknown>,
  stored: Record<string, string>,
): TargetInput {
  switch (input.kind) {
    case 'local':
      return input;
    case 's3': {
      const secretAccessKey = input.secretAccessKey ?? stored.secretAccessKey;
      if (!secretAccessKey) throw missingSecret('secretAccessKey', 'Enter the secret access key.');
      return { ...input, secretAccessKey };
    }
    case 'sftp': {
      const sameMethod = storedConfig.authMethod === input.auth.method;
      if (input.auth.method === 'password') {
        const password = input.auth.password ?? (sameMethod ? stored.password : undefined);
        if (!password)
          throw missingSecret('auth.password', 'Enter the password: the login method changed, so there is none to keep.');
        return { ...input, auth: { method: 'password', password } };
      }
      // A passphrase belongs to its key: a new key comes with its own passphrase (or none).
      const newKey = input.auth.privateKey;
      const privateKey = newKey ?? (sameMethod ? stored.privateKey : undefined);
      if (!privateKey)
        throw missingSecret('auth.privateKey', 'Paste the private key: the login method changed, so there is none to keep.');
      const passphrase = input.auth.passphrase ?? (newKey ? undefined : stored.passphrase);
      return { ...input, auth: { method: 'key', privateKey, passphrase } };
    }
  }
}
