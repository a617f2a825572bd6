import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/password';
import { createKeyFile, generateMasterKey } from '../crypto/key-file';
import { seal } from '../crypto/seal';
import type { Db } from '../db/client';
import { getEnv } from '../env';
import { AppError } from '../errors';
import { getSetting, SettingKey } from '../settings/settings';
import { createTarget } from '../targets/targets';
import { generatePassphrase } from './generate-passphrase';
import { MIN_PASSPHRASE_LENGTH } from './passphrase-rules';

export const setupInputSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'The username must be 3–64 characters: letters, digits, dot, dash, underscore.'),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`)
    .max(1024),
  passphrase: z.discriminatedUnion('mode', [
    z.object({
      mode: z.literal('choose'),
      value: z
        .string()
        .min(MIN_PASSPHRASE_LENGTH, `The backup passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`)
        .max(1024),
    }),
    z.object({ mode: z.literal('generate') }),
  ]),
});
export type SetupInput = z.infer<typeof setupInputSchema>;

/** Where the default local target keeps backups: `<data dir>/backups`. */
export function defaultTargetDir(): string {
  return path.join(getEnv().dataDir, 'backups');
}

export async function isInstanceInitialized(db: Db): Promise<boolean> {
  return (await getSetting(db, SettingKey.setupCompletedAt)) !== null;
}

/**
 * First-run setup: the admin account, the backup passphrase and the instance master key (with
 * its key file wrapped under the passphrase, docs/FORMAT.md §1), in one transaction. The
 * setup marker is inserted (not upserted) inside it, so a second or concurrent setup fails on
 * its primary key and changes nothing. Returns the passphrase only when it was generated, for
 * the caller to show exactly once.
 */
export async function initializeInstance(
  db: Db,
  instanceKey: Buffer,
  rawInput: unknown,
  options: { defaultTargetDir?: string } = {},
): Promise<{ userId: string; generatedPassphrase?: string }> {
  const parsed = setupInputSchema.safeParse(rawInput);
  if (!parsed.success) throw new AppError('invalid_input', parsed.error.issues[0]?.message ?? 'Invalid setup input.');
  const input = parsed.data;
  if (await isInstanceInitialized(db)) throw alreadyInitialized();

  const passphrase = input.passphrase.mode === 'generate' ? generatePassphrase() : input.passphrase.value;
  const userId = randomUUID();
  const passwordHash = await hashPassword(input.password);
  const masterKey = generateMasterKey();
  const keyFile = await createKeyFile(masterKey, passphrase);
  try {
    await db.$transaction([
      db.setting.create({ data: { key: SettingKey.setupCompletedAt, value: new Date().toISOString() } }),
      db.user.create({ data: { id: userId, username: input.username, passwordHash } }),
      db.setting.create({
        data: { key: SettingKey.backupPassphrase, value: seal(instanceKey, SettingKey.backupPassphrase, passphrase) },
      }),
      db.setting.create({
        data: {
          key: SettingKey.backupMasterKey,
          value: seal(instanceKey, SettingKey.backupMasterKey, masterKey.toString('hex')),
        },
      }),
      db.setting.create({ data: { key: SettingKey.backupKeyFile, value: JSON.stringify(keyFile) } }),
    ]);
  } catch (error) {
    if (await isInstanceInitialized(db)) throw alreadyInitialized();
    throw error;
  }
  // A fresh instance can back up at once: a local target in the data directory.
  if (options.defaultTargetDir) {
    await mkdir(options.defaultTargetDir, { recursive: true, mode: 0o700 });
    await createTarget(
      db,
      instanceKey,
      { kind: 'local', name: 'Local backups', path: options.defaultTargetDir },
      { isDefault: true },
    );
  }
  return input.passphrase.mode === 'generate' ? { userId, generatedPassphrase: passphrase } : { userId };
}

function alreadyInitialized(): AppError {
  return new AppError('conflict', 'This instance is already set up. Sign in with the admin account instead.');
}
