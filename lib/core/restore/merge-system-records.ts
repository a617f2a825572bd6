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

type Write = Prisma.PrismaPromise<unknown>;

/** Backed-up targets: the id each maps to here, and the rows to create. */
async function mergeTargets(db: Db, input: RecordMergeInput, counts: RecordMergeCounts) {
  const targets = await db.target.findMany();
  const byLocation = new Map(targets.map((t) => [locationOf(t.kind, t.config), t.id]));
  const names = new Set(targets.map((t) => t.name));
  const ids = new Map<string, string>();
  const writes: Write[] = [];
  for (const t of input.records.targets) {
    const existing = targets.find((row) => row.id === t.id)?.id ?? byLocation.get(locationOf(t.kind, t.config));
    ids.set(t.id, existing ?? t.id);
    if (existing) continue;
    const secret = input.secrets.get(targetSecretContext(t.id));
    const lost = t.hasSecrets && secret === undefined;
    if (lost) counts.targetsWithoutSecret.push(t.name);
    writes.push(
      db.target.create({
        data: {
          id: t.id,
          name: freeName(t.name, names),
          kind: t.kind,
          config: t.config,
          secrets:
            secret === undefined ? null : sealSecrets(input.instanceKey, t.id, JSON.parse(secret) as Record<string, string>),
          keepLast: t.keepLast,
          hostKeySha256: t.hostKeySha256,
          ...(lost
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
  return { ids, writes };
}

/** Backed-up schedules, on their mapped target, checked from now on; the ids that exist after. */
async function mergeSchedules(db: Db, input: RecordMergeInput, targetIds: Map<string, string>, counts: RecordMergeCounts) {
  const schedules = await db.schedule.findMany({ select: { id: true, name: true } });
  const names = new Set(schedules.map((s) => s.name));
  const ids = new Set(schedules.map((s) => s.id));
  const writes: Write[] = [];
  for (const s of input.records.schedules) {
    const targetId = targetIds.get(s.targetId);
    if (ids.has(s.id) || !targetId) continue;
    ids.add(s.id);
    const { id, cron, scope, apps, keepLast, keepDaily, keepWeekly, enabled, lastFireAt } = s;
    const name = freeName(s.name, names);
    const data = { id, name, cron, scope, apps, keepLast, keepDaily, keepWeekly, enabled, lastFireAt, targetId };
    writes.push(db.schedule.create({ data: { ...data, checkedUntil: new Date() } }));
    counts.schedules += 1;
  }
  return { ids, writes };
}

async function mergeApiTokens(db: Db, input: RecordMergeInput, counts: RecordMergeCounts): Promise<Write[]> {
  const tokens = await db.apiToken.findMany({ select: { id: true, tokenHash: true } });
  const fresh = input.records.apiTokens.filter((t) => !tokens.some((k) => k.id === t.id || k.tokenHash === t.tokenHash));
  counts.apiTokens += fresh.length;
  return fresh.map((t) => db.apiToken.create({ data: t }));
}

/** Master keys the backed-up instance held, sealed again with this instance's key. */
async function mergeHeldKeys(db: Db, input: RecordMergeInput, counts: RecordMergeCounts): Promise<Write[]> {
  const own = await db.setting.findUnique({ where: { key: SettingKey.backupKeyFile } });
  const held = new Set((await db.masterKey.findMany({ select: { keyId: true } })).map((k) => k.keyId));
  if (own) held.add(parseKeyFile(JSON.parse(own.value)).keyId);
  const writes: Write[] = [];
  for (const k of input.records.heldKeys) {
    const key = input.secrets.get(heldKeyContext(k.keyId));
    if (!key || held.has(k.keyId)) continue;
    held.add(k.keyId);
    const sealedKey = seal(input.instanceKey, heldKeyContext(k.keyId), key);
    writes.push(db.masterKey.create({ data: { keyId: k.keyId, keyFile: k.keyFile, sealedKey } }));
    counts.keys += 1;
  }
  return writes;
}

/** Finished backups unknown here, on their mapped target; an imported row learns its schedule. */
async function mergeBackups(
  db: Db,
  input: RecordMergeInput,
  ids: { targets: Map<string, string>; schedules: Set<string> },
  counts: RecordMergeCounts,
): Promise<Write[]> {
  const known = new Map(
    (await db.backup.findMany({ select: { id: true, importedAt: true, scheduleId: true } })).map((b) => [b.id, b]),
  );
  const now = new Date();
  const writes: Write[] = [];
  for (const b of input.records.backups) {
    const targetId = ids.targets.get(b.targetId);
    const scheduleId = b.scheduleId && ids.schedules.has(b.scheduleId) ? b.scheduleId : null;
    const mine = known.get(b.id);
    if (mine?.importedAt && !mine.scheduleId && scheduleId)
      writes.push(db.backup.update({ where: { id: b.id }, data: { scheduleId } }));
    if (mine || !targetId) continue;
    const keyId = b.keyId ?? input.ownKeyIdOfSnapshot;
    writes.push(db.backup.create({ data: { ...b, targetId, scheduleId, status: 'succeeded', keyId, importedAt: now } }));
    counts.backups += 1;
  }
  return writes;
}

/**
 * Plans the merge of a backed-up instance's records into this one (docs/RESTORE.md): nothing
 * this instance has is dropped or changed, except that an imported backup learns its schedule.
 * A backed-up target that stores where one of ours does becomes that one; the others come
 * back under their id, with their secrets sealed again with this instance's key (a name in
 * use gets " restored"). Schedules follow their target and start at "now" (no burst of missed
 * runs); API tokens and finished backups come back unless known; held keys join the key ring.
 * Returns the writes for the caller's transaction, targets first (the others refer to them).
 */
export async function planRecordMerge(db: Db, input: RecordMergeInput) {
  const counts: RecordMergeCounts = { targets: 0, schedules: 0, apiTokens: 0, backups: 0, keys: 0, targetsWithoutSecret: [] };
  const targets = await mergeTargets(db, input, counts);
  const schedules = await mergeSchedules(db, input, targets.ids, counts);
  const writes = [
    ...targets.writes,
    ...schedules.writes,
    ...(await mergeApiTokens(db, input, counts)),
    ...(await mergeHeldKeys(db, input, counts)),
    ...(await mergeBackups(db, input, { targets: targets.ids, schedules: schedules.ids }, counts)),
  ];
  return { writes, counts };
}
