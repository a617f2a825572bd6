import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';

const volumeSchema = z.object({
  name: z.string(),
  kind: z.enum(['bind', 'named']),
  source: z.string(),
  /** A named volume's name in Docker, so a new server creates the one its Compose file uses. */
  dockerName: z.string().optional(),
  entryType: z.enum(['directory', 'file']),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});

const appSchema = z.object({
  id: z.string(),
  consistency: z.enum(['stop', 'live']),
  composeFiles: z.array(z.string()),
  volumes: z.array(volumeSchema),
  skipped: z.array(z.object({ source: z.string(), reason: z.string() })),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});

/** What an archive holds: written into the archive (`manifest.json`, its last entry). */
export const contentsSchema = z.object({
  format: z.literal('cloudos-backup-contents'),
  version: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  scope: z.enum(['full', 'apps']),
  createdAt: z.string(),
  apps: z.array(appSchema),
  system: z.object({ files: z.array(z.string()), bytes: z.number().nonnegative() }).nullable(),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});
export type BackupContents = z.infer<typeof contentsSchema>;
export type ManifestApp = z.infer<typeof appSchema>;
export type ManifestVolume = z.infer<typeof volumeSchema>;

/**
 * The commit marker on the target (`manifests/<id>.json`, docs/FORMAT.md §4): written after the
 * archive object is complete, so an object without one is an interrupted upload. Holds the
 * contents plus what is known only after upload, and a MAC under the master key.
 */
export const manifestSchema = z.object({
  format: z.literal('cloudos-backup-manifest'),
  version: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  objectKey: z.string(),
  keyId: z.string(),
  createdAt: z.string(),
  finishedAt: z.string(),
  scope: z.enum(['full', 'apps']),
  apps: z.array(z.string()),
  logicalBytes: z.number().nonnegative(),
  storedBytes: z.number().int().nonnegative(),
  fileCount: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contents: contentsSchema,
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

function manifestKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'cloudos-backup v1 manifest', 32));
}

function macOf(masterKey: Buffer, unsigned: Omit<BackupManifest, 'mac'>): string {
  return createHmac('sha256', manifestKey(masterKey)).update(canonicalJson(unsigned)).digest('hex');
}

export function signManifest(masterKey: Buffer, unsigned: Omit<BackupManifest, 'mac'>): BackupManifest {
  return { ...unsigned, mac: macOf(masterKey, unsigned) };
}

/** True when the manifest was written by a holder of this master key and not changed since. */
export function manifestMacValid(masterKey: Buffer, manifest: BackupManifest): boolean {
  const { mac, ...unsigned } = manifest;
  return timingSafeEqual(Buffer.from(mac, 'hex'), Buffer.from(macOf(masterKey, unsigned), 'hex'));
}
