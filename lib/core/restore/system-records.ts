import type Database from 'better-sqlite3';

/**
 * The records of a backed-up instance database that a full-system restore brings back beside
 * the accounts and settings: where backups go, when they run, who may call the API, and the
 * catalog (docs/RESTORE.md, "The system part"). Read after the snapshot was migrated to this
 * version's schema, so the columns below exist whatever version wrote it.
 */
export interface SnapshotTarget {
  id: string;
  name: string;
  kind: string;
  config: string;
  hasSecrets: boolean;
  keepLast: number | null;
  hostKeySha256: string | null;
}

export interface SnapshotSchedule {
  id: string;
  name: string;
  cron: string;
  targetId: string;
  scope: string;
  apps: string;
  keepLast: number | null;
  keepDaily: number | null;
  keepWeekly: number | null;
  enabled: boolean;
  lastFireAt: Date | null;
}

export interface SnapshotApiToken {
  id: string;
  name: string;
  tokenHash: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface SnapshotBackup {
  id: string;
  targetId: string;
  scheduleId: string | null;
  scope: string;
  apps: string;
  objectKey: string;
  logicalBytes: bigint;
  storedBytes: bigint;
  fileCount: number;
  sha256: string | null;
  manifest: string | null;
  createdBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  verifiedAt: Date | null;
  verifyResult: string | null;
  verifyMessage: string | null;
  keyId: string | null;
}

export interface SnapshotHeldKey {
  keyId: string;
  keyFile: string;
}

export interface SystemRecords {
  targets: SnapshotTarget[];
  schedules: SnapshotSchedule[];
  apiTokens: SnapshotApiToken[];
  /** Finished backups only: an attempt that failed, or ran while the snapshot was taken, is no backup. */
  backups: SnapshotBackup[];
  heldKeys: SnapshotHeldKey[];
}

/** Prisma writes ISO text (or epoch ms); SQLite's own CURRENT_TIMESTAMP is "YYYY-MM-DD HH:MM:SS" in UTC. */
export function sqliteDate(value: number | string): Date {
  if (typeof value === 'number') return new Date(value);
  return new Date(Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value) ? `${value.replace(' ', 'T')}Z` : value));
}

const maybeDate = (value: number | string | null) => (value === null ? null : sqliteDate(value));

type Row = Record<string, unknown>;
const all = (db: Database.Database, sql: string) => db.prepare(sql).all() as Row[];
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v ?? null) as string | null;
const intOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function readSystemRecords(db: Database.Database): SystemRecords {
  return {
    targets: all(db, 'SELECT * FROM Target').map((r) => ({
      id: str(r.id),
      name: str(r.name),
      kind: str(r.kind),
      config: str(r.config),
      hasSecrets: r.secrets !== null,
      keepLast: intOrNull(r.keepLast),
      hostKeySha256: strOrNull(r.hostKeySha256),
    })),
    schedules: all(db, 'SELECT * FROM Schedule').map((r) => ({
      id: str(r.id),
      name: str(r.name),
      cron: str(r.cron),
      targetId: str(r.targetId),
      scope: str(r.scope),
      apps: str(r.apps),
      keepLast: intOrNull(r.keepLast),
      keepDaily: intOrNull(r.keepDaily),
      keepWeekly: intOrNull(r.keepWeekly),
      enabled: Boolean(r.enabled),
      lastFireAt: maybeDate(r.lastFireAt as string | null),
    })),
    apiTokens: all(db, 'SELECT * FROM ApiToken').map((r) => ({
      id: str(r.id),
      name: str(r.name),
      tokenHash: str(r.tokenHash),
      createdBy: strOrNull(r.createdBy),
      createdAt: sqliteDate(r.createdAt as string),
      lastUsedAt: maybeDate(r.lastUsedAt as string | null),
      revokedAt: maybeDate(r.revokedAt as string | null),
    })),
    backups: all(db, "SELECT * FROM Backup WHERE status = 'succeeded'").map((r) => ({
      id: str(r.id),
      targetId: str(r.targetId),
      scheduleId: strOrNull(r.scheduleId),
      scope: str(r.scope),
      apps: str(r.apps),
      objectKey: str(r.objectKey),
      logicalBytes: BigInt(r.logicalBytes as number),
      storedBytes: BigInt(r.storedBytes as number),
      fileCount: Number(r.fileCount),
      sha256: strOrNull(r.sha256),
      manifest: strOrNull(r.manifest),
      createdBy: strOrNull(r.createdBy),
      startedAt: sqliteDate(r.startedAt as string),
      finishedAt: maybeDate(r.finishedAt as string | null),
      verifiedAt: maybeDate(r.verifiedAt as string | null),
      verifyResult: strOrNull(r.verifyResult),
      verifyMessage: strOrNull(r.verifyMessage),
      keyId: strOrNull(r.keyId),
    })),
    heldKeys: all(db, 'SELECT keyId, keyFile FROM MasterKey').map((r) => ({ keyId: str(r.keyId), keyFile: str(r.keyFile) })),
  };
}
