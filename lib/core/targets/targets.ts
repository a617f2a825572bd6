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
import { parseInput, splitSecrets, type TargetInput, type TargetKind, targetInput } from './target-input';

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
  /** The current key file (after a passphrase change) is not on this target yet. */
  keyFilePending: boolean;
}

export const targetSecretContext = (id: string) => `target:${id}:secrets`;

/** Seals a target's secrets with the instance key, bound to the target's id. */
export function sealSecrets(instanceKey: Buffer, id: string, secrets: Record<string, string> | null): string | null {
  return secrets ? seal(instanceKey, targetSecretContext(id), JSON.stringify(secrets)) : null;
}

export function unsealSecrets(instanceKey: Buffer, row: Target): Record<string, string> {
  return row.secrets ? (JSON.parse(unseal(instanceKey, targetSecretContext(row.id), row.secrets)) as Record<string, string>) : {};
}

export function toTargetView(row: Target): TargetView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as TargetKind,
    config: JSON.parse(row.config) as Record<string, unknown>,
    hasSecret: row.secrets !== null,
    keepLast: row.keepLast,
    keyFilePending: row.keyFilePending,
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
  const input = parseInput(targetInput, rawInput);
  if (await db.target.findUnique({ where: { name: input.name } })) throw nameTaken(input.name);
  const id = randomUUID();
  const { config, secrets } = splitSecrets(input);
  const row = await db.target.create({
    data: {
      id,
      name: input.name,
      kind: input.kind,
      config: JSON.stringify(config),
      secrets: sealSecrets(instanceKey, id, secrets),
      keepLast: input.keepLast ?? null,
      isDefault: options.isDefault ?? false,
    },
  });
  return toTargetView(row);
}

export function nameTaken(name: string): AppError {
  return new AppError('conflict', `A target named "${name}" already exists.`, { fields: { name: 'This name is taken.' } });
}

export async function listTargets(db: Db): Promise<TargetView[]> {
  return (await db.target.findMany({ orderBy: { createdAt: 'asc' } })).map(toTargetView);
}

/** One target by id (the UI's links use ids, which survive a rename). */
export async function getTargetView(db: Db, id: string): Promise<TargetView> {
  const row = await db.target.findUnique({ where: { id } });
  if (!row) throw new AppError('not_found', 'This target does not exist (any more).');
  return toTargetView(row);
}

export async function findTarget(db: Db, name: string): Promise<Target> {
  const row = await db.target.findUnique({ where: { name } });
  if (!row) throw new AppError('not_found', `There is no target named "${name}".`);
  return row;
}

// What `config` holds per kind (written by splitSecrets from validated input).
type StoredLocal = { path: string };
type StoredS3 = Omit<S3TargetConfig, 'secretAccessKey'>;
type StoredSftp = Omit<SftpTargetConfig, 'auth' | 'hostKeySha256'> & { authMethod: 'password' | 'key' };

/** The driver for a stored row; `hostKeySha256` overrides the pinned SFTP host key. */
export function buildDriver(row: Target, instanceKey: Buffer, options: { hostKeySha256?: string } = {}): StorageTarget {
  return driverFor(row.kind, JSON.parse(row.config), unsealSecrets(instanceKey, row), options.hostKeySha256 ?? row.hostKeySha256);
}

/** The driver for validated input not stored yet (a target tried before an instance exists). */
export function buildDriverForInput(input: TargetInput): StorageTarget {
  const { config, secrets } = splitSecrets(input);
  return driverFor(input.kind, config, secrets ?? {}, null);
}

function driverFor(kind: string, config: unknown, secrets: Record<string, string>, hostKeySha256: string | null): StorageTarget {
  switch (kind as TargetKind) {
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
      return new SftpTarget({ ...rest, auth, hostKeySha256: hostKeySha256 ?? undefined });
    }
    default:
      throw new AppError('internal', `Unknown target kind "${kind}".`);
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

export interface TargetTestResult extends ConnectionTest {
  /**
   * Set when an SFTP server presented another host key than the pinned one (the test then
   * failed at its first step). The user may trust `seenSha256` with acceptHostKey.
   */
  hostKeyMismatch?: { pinnedSha256: string; seenSha256: string };
}

/**
 * Runs the step-by-step connection test and records its outcome. An SFTP server's host key
 * is pinned on the first successful test; later connections refuse a different key.
 */
export async function testTarget(db: Db, instanceKey: Buffer, name: string): Promise<TargetTestResult> {
  const row = await findTarget(db, name);
  const driver = buildDriver(row, instanceKey);
  try {
    const result: TargetTestResult = await driver.testConnection();
    const failed = result.steps.find((s) => !s.ok);
    const seenHostKey = driver instanceof SftpTarget ? driver.seenHostKeySha256 : null;
    // The driver records the key the server presented before it checks it against the pin, so
    // a differing seen key is exactly the refused-key case.
    if (!result.ok && seenHostKey && row.hostKeySha256 && seenHostKey !== row.hostKeySha256)
      result.hostKeyMismatch = { pinnedSha256: row.hostKeySha256, seenSha256: seenHostKey };
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
