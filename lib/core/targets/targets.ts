import { randomUUID } from 'node:crypto';
import { seal, unseal } from '../crypto/seal';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Target } from '../generated/prisma/client';
import { LocalTarget } from '../storage/local-target';
import { S3Target, type S3TargetConfig } from '../storage/s3-target';
import { SftpTarget, type SftpTargetConfig } from '../storage/sftp-target';
import type { ConnectionTest, StorageTarget } from '../storage/storage-target';
import { withRetries } from '../storage/with-retries';
import { splitSecrets, type TargetKind, targetInput } from './target-input';

/** A target as the UI, API and CLI see it: never a secret, only whether one is set. */
export interface TargetView {
  id: string;
  name: string;
  kind: TargetKind;
  config: Record<string, unknown>;
  hasSecret: boolean;
  keepLast: number | null;
  isDefault: boolean;
  lastTest: { at: string; ok: boolean; message: string | null } | null;
}

const SECRET_CONTEXT = (id: string) => `target:${id}:secrets`;

export function toTargetView(row: Target): TargetView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as TargetKind,
    config: JSON.parse(row.config) as Record<string, unknown>,
    hasSecret: row.secrets !== null,
    keepLast: row.keepLast,
    isDefault: row.isDefault,
    lastTest: row.lastTestAt
      ? { at: row.lastTestAt.toISOString(), ok: row.lastTestOk ?? false, message: row.lastTestMessage }
      : null,
  };
}

/** Validates and stores a target; secrets are sealed with the instance key. */
export async function createTarget(
  db: Db,
  instanceKey: Buffer,
  rawInput: unknown,
  options: { isDefault?: boolean } = {},
): Promise<TargetView> {
  const parsed = targetInput.safeParse(rawInput);
  if (!parsed.success) throw new AppError('invalid_input', parsed.error.issues[0]?.message ?? 'Invalid target.');
  const input = parsed.data;
  if (await db.target.findUnique({ where: { name: input.name } }))
    throw new AppError('conflict', `A target named "${input.name}" already exists.`);
  const id = randomUUID();
  const { config, secrets } = splitSecrets(input);
  const row = await db.target.create({
    data: {
      id,
      name: input.name,
      kind: input.kind,
      config: JSON.stringify(config),
      secrets: secrets ? seal(instanceKey, SECRET_CONTEXT(id), JSON.stringify(secrets)) : null,
      keepLast: input.keepLast ?? null,
      isDefault: options.isDefault ?? false,
    },
  });
  return toTargetView(row);
}

export async function listTargets(db: Db): Promise<TargetView[]> {
  return (await db.target.findMany({ orderBy: { createdAt: 'asc' } })).map(toTargetView);
}

async function findTarget(db: Db, name: string): Promise<Target> {
  const row = await db.target.findUnique({ where: { name } });
  if (!row) throw new AppError('not_found', `There is no target named "${name}".`);
  return row;
}

// What `config` holds per kind (written by splitSecrets from validated input).
type StoredLocal = { path: string };
type StoredS3 = Omit<S3TargetConfig, 'secretAccessKey'>;
type StoredSftp = Omit<SftpTargetConfig, 'auth' | 'hostKeySha256'> & { authMethod: 'password' | 'key' };

function buildDriver(row: Target, instanceKey: Buffer): StorageTarget {
  const config: unknown = JSON.parse(row.config);
  const secrets = row.secrets
    ? (JSON.parse(unseal(instanceKey, SECRET_CONTEXT(row.id), row.secrets)) as Record<string, string>)
    : {};
  switch (row.kind as TargetKind) {
    case 'local':
      return new LocalTarget((config as StoredLocal).path);
    case 's3':
      return new S3Target({ ...(config as StoredS3), secretAccessKey: secrets.secretAccessKey ?? '' });
    case 'sftp': {
      const { authMethod, ...rest } = config as StoredSftp;
      const auth =
        authMethod === 'password'
          ? { method: 'password' as const, password: secrets.password ?? '' }
          : { method: 'key' as const, privateKey: secrets.privateKey ?? '', passphrase: secrets.passphrase };
      return new SftpTarget({ ...rest, auth, hostKeySha256: row.hostKeySha256 ?? undefined });
    }
    default:
      throw new AppError('internal', `Unknown target kind "${row.kind}".`);
  }
}

/** The driver for a target found by id (the catalog refers to targets by id). */
export async function openTargetById(db: Db, instanceKey: Buffer, id: string): Promise<StorageTarget> {
  const row = await db.target.findUnique({ where: { id } });
  if (!row) throw new AppError('not_found', 'The target of this backup no longer exists.');
  return withRetries(buildDriver(row, instanceKey));
}

/** The driver for a stored target, with retries for transient failures. */
export async function openTarget(db: Db, instanceKey: Buffer, name: string): Promise<StorageTarget> {
  return withRetries(buildDriver(await findTarget(db, name), instanceKey));
}

/**
 * Runs the step-by-step connection test and records its outcome. An SFTP server's host key
 * is pinned on the first successful test; later connections refuse a different key.
 */
export async function testTarget(db: Db, instanceKey: Buffer, name: string): Promise<ConnectionTest> {
  const row = await findTarget(db, name);
  const driver = buildDriver(row, instanceKey);
  try {
    const result = await driver.testConnection();
    const failed = result.steps.find((s) => !s.ok);
    const seenHostKey = driver instanceof SftpTarget ? driver.seenHostKeySha256 : null;
    await db.target.update({
      where: { id: row.id },
      data: {
        lastTestAt: new Date(),
        lastTestOk: result.ok,
        lastTestMessage: failed?.message ?? null,
        ...(result.ok && seenHostKey && !row.hostKeySha256 ? { hostKeySha256: seenHostKey } : {}),
      },
    });
    return result;
  } finally {
    await driver.close();
  }
}

export async function removeTarget(db: Db, name: string): Promise<void> {
  const row = await findTarget(db, name);
  await db.target.delete({ where: { id: row.id } });
}
