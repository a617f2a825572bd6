import path from 'node:path';
import { parseKeyFile } from '../crypto/key-file';
import { seal } from '../crypto/seal';
import type { Db } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { heldKeyContext } from '../keys/key-ring';
import { SettingKey } from '../settings/settings';
import { sealSecrets, targetSecretContext } from '../targets/targets';
import type { SystemRecords } from './system-records';

export interface RecordMergeInput {
  records: SystemRecords;
  /** The backed-up secrets (system/secrets.json), plaintext by sealing context. */
  secrets: Map<string, string>;
  /** The key the backed-up instance made its own backups with (catalog rows without a key id). */
  ownKeyIdOfSnapshot: string | null;
  instanceKey: Buffer;
}

export interface RecordMergeCounts {
  targets: number;
  schedules: number;
  apiTokens: number;
  backups: number;
  keys: number;
  /** Targets restored without their secret (a backup made before secrets travelled with it). */
  targetsWithoutSecret: string[];
}

/** Where a target stores, whatever it is called: two rows with the same location are one target. */
function locationOf(kind: string, configJson: string): string {
  const c = JSON.parse(configJson) as Record<string, unknown>;
  if (kind === 'local') return `local:${path.resolve(String(c.path))}`;
  if (kind === 's3') return `s3:${c.endpoint ?? ''}|${c.bucket}|${c.prefix ?? ''}`;
  return `sftp:${c.username}@${c.host}:${c.port ?? 22}|${c.remotePath}`;
}

/** "nas", or "nas restored" (then "nas restored 2", …) when this instance uses the name already. */
function freeName(wanted: string, taken: Set<string>): string {
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? '' : n === 2 ? ' restored' : ` restored ${n - 1}`;
    const name = `${wanted.slice(0, 64 - suffix.length)}${suffix}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/**
 * Plans the merge of a backed-up instance's records into this one (docs/RESTORE.md): nothing
 * this instance has is dropped or changed, except that an imported backup learns its schedule.
 * A backed-up target that stores where one of ours does becomes that one; the others come
 * back under their id, with their secrets sealed again with this instance's key (a name in
 * use gets " restored"). Schedules follow their target and start at "now" (no burst of missed
 * runs); API tokens and finished backups come back unless known; held keys join the key ring.
 * Returns the writes for the caller's transaction.
 */
export async function planRecordMerge(db: Db, input: RecordMergeInput) {
  const { records, secrets, instanceKey } = input;
  // Targets first: schedules and backups refer to them.
  const writes: Prisma.PrismaPromise<unknown>[] = [];
  const other: Prisma.PrismaPromise<unknown>[] = [];
  const counts: RecordMergeCounts = { targets: 0, schedules: 0, apiTokens: 0, backups: 0, keys: 0, targetsWithoutSecret: [] };

  const targets = await db.target.findMany();
  const byLocation = new Map(targets.map((t) => [locationOf(t.kind, t.config), t.id]));
  const targetNames = new Set(targets.map((t) => t.name));
  const targetIds = new Map<string, string>();
  for (const t of records.targets) {
    const existing = targets.find((row) => row.id === t.id)?.id ?? byLocation.get(locationOf(t.kind, t.config));
    if (existing) {
      targetIds.set(t.id, existing);
      continue;
    }
    targetIds.set(t.id, t.id);
    const secret = secrets.get(targetSecretContext(t.id));
    if (t.hasSecrets && secret === undefined) counts.targetsWithoutSecret.push(t.name);
    writes.push(
      db.target.create({
        data: {
          id: t.id,
          name: freeName(t.name, targetNames),
          kind: t.kind,
          config: t.config,
          secrets: secret === undefined ? null : sealSecrets(instanceKey, t.id, JSON.parse(secret) as Record<string, string>),
          keepLast: t.keepLast,
          hostKeySha256: t.hostKeySha256,
          ...(t.hasSecrets && secret === undefined
            ? {
                lastTestOk: false,
                lastTestAt: new Date(),
                lastTestMessage: 'Its secret was not in the backup: edit the target and enter it.',
              }
            : {}),
        },
      }),
    );
    counts.targets += 1;
  }

  const schedules = await db.schedule.findMany({ select: { id: true, name: true } });
  const scheduleNames = new Set(schedules.map((s) => s.name));
  const scheduleIds = new Set(schedules.map((s) => s.id));
  for (const s of records.schedules) {
    const targetId = targetIds.get(s.targetId);
    if (scheduleIds.has(s.id) || !targetId) continue;
    scheduleIds.add(s.id);
    const { id, cron, scope, apps, keepLast, keepDaily, keepWeekly, enabled, lastFireAt } = s;
    other.push(
      db.schedule.create({
        data: {
          id,
          cron,
          scope,
          apps,
          keepLast,
          keepDaily,
          keepWeekly,
          enabled,
          lastFireAt,
          targetId,
          name: freeName(s.name, scheduleNames),
          checkedUntil: new Date(),
        },
      }),
    );
    counts.schedules += 1;
  }

  const tokens = await db.apiToken.findMany({ select: { id: true, tokenHash: true } });
  for (const t of records.apiTokens) {
    if (tokens.some((known) => known.id === t.id || known.tokenHash === t.tokenHash)) continue;
    other.push(db.apiToken.create({ data: t }));
    counts.apiTokens += 1;
  }

  const ownKeyFile = await db.setting.findUnique({ where: { key: SettingKey.backupKeyFile } });
  const heldIds = new Set((await db.masterKey.findMany({ select: { keyId: true } })).map((k) => k.keyId));
  if (ownKeyFile) heldIds.add(parseKeyFile(JSON.parse(ownKeyFile.value)).keyId);
  for (const k of records.heldKeys) {
    const key = secrets.get(heldKeyContext(k.keyId));
    if (!key || heldIds.has(k.keyId)) continue;
    heldIds.add(k.keyId);
    other.push(
      db.masterKey.create({
        data: { keyId: k.keyId, keyFile: k.keyFile, sealedKey: seal(instanceKey, heldKeyContext(k.keyId), key) },
      }),
    );
    counts.keys += 1;
  }

  const known = new Map(
    (await db.backup.findMany({ select: { id: true, importedAt: true, scheduleId: true } })).map((b) => [b.id, b]),
  );
  const now = new Date();
  for (const b of records.backups) {
    const targetId = targetIds.get(b.targetId);
    const scheduleId = b.scheduleId && scheduleIds.has(b.scheduleId) ? b.scheduleId : null;
    const mine = known.get(b.id);
    if (mine) {
      if (mine.importedAt && !mine.scheduleId && scheduleId)
        other.push(db.backup.update({ where: { id: b.id }, data: { scheduleId } }));
      continue;
    }
    if (!targetId) continue;
    other.push(
      db.backup.create({
        data: { ...b, targetId, scheduleId, status: 'succeeded', keyId: b.keyId ?? input.ownKeyIdOfSnapshot, importedAt: now },
      }),
    );
    counts.backups += 1;
  }
  return { writes: [...writes, ...other], counts };
}
