import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMPOSE_FILE_NAMES } from '../apps/inventory';
import { scanTree } from '../apps/scan-tree';
import { canonicalJson } from '../backup/canonical-json';
import { type BackupContents, contentsSchema } from '../backup/manifest';
import { formatBytes } from '../util/format-bytes';

export interface TreeInspection {
  /** What disagrees with the manifest, one sentence each; empty when the tree matches. */
  problems: string[];
  files: number;
  bytes: number;
  /** SQLite databases found (by name and header, as the apps scan finds them), relative to the root. */
  sqliteFiles: string[];
}

const counts = (files: number, bytes: number) => `${files} file${files === 1 ? '' : 's'}, ${formatBytes(bytes)}`;

function entries(dir: string): string[] | null {
  try {
    return readdirSync(dir).sort();
  } catch {
    return null;
  }
}

function regularFileSize(file: string): number | null {
  try {
    const stats = lstatSync(file);
    return stats.isFile() ? stats.size : null;
  } catch {
    return null;
  }
}

/** Names in `found` and not in `expected`, and the other way round, as problems. */
function compareNames(where: string, found: string[] | null, expected: string[], problems: string[]): void {
  if (found === null) {
    if (expected.length > 0) problems.push(`${where} is missing.`);
    return;
  }
  const at = (name: string) => (where ? `${where}/${name}` : name);
  for (const name of found) if (!expected.includes(name)) problems.push(`${at(name)} is not in the manifest.`);
  for (const name of expected) if (!found.includes(name)) problems.push(`${at(name)} is in the manifest but was not restored.`);
}

function readArchiveManifest(root: string, expected: BackupContents, problems: string[]): void {
  let text: string;
  try {
    text = readFileSync(path.join(root, 'manifest.json'), 'utf8');
  } catch {
    problems.push('The archive holds no manifest.json.');
    return;
  }
  let parsed: ReturnType<typeof contentsSchema.safeParse>;
  try {
    parsed = contentsSchema.safeParse(JSON.parse(text));
  } catch {
    problems.push("The archive's manifest.json is not JSON.");
    return;
  }
  if (!parsed.success) problems.push("The archive's manifest.json is not a contents manifest.");
  else if (canonicalJson(parsed.data) !== canonicalJson(expected))
    problems.push("The archive's manifest.json differs from the manifest on the target.");
}

/**
 * Compares a dry-run restore (the whole archive extracted below `root`) with the manifest:
 * exactly the apps, compose files and volumes it lists, each app with a Compose file, the
 * files and bytes of every volume, app and the system part, and the totals; the archive's own
 * manifest.json equal to the target's. Regular files are counted as the backup counted them
 * (symlinks and directories are not files).
 */
export function inspectRestoredTree(root: string, expected: BackupContents): TreeInspection {
  const problems: string[] = [];
  readArchiveManifest(root, expected, problems);
  const top = ['manifest.json', ...(expected.apps.length > 0 ? ['apps'] : []), ...(expected.system ? ['system'] : [])];
  compareNames('', entries(root), top.sort(), problems);
  compareNames('apps', entries(path.join(root, 'apps')), expected.apps.map((a) => a.id).sort(), problems);
  let files = 0;
  let bytes = 0;
  for (const app of expected.apps) {
    const base = `apps/${app.id}`;
    const dir = path.join(root, base);
    if (!entries(dir)) continue; // reported above
    compareNames(base, entries(dir), ['compose', 'volumes'], problems);
    compareNames(`${base}/compose`, entries(path.join(dir, 'compose')), [...app.composeFiles].sort(), problems);
    if (!app.composeFiles.some((f) => (COMPOSE_FILE_NAMES as readonly string[]).includes(f)))
      problems.push(`${app.id} has no Compose file in the manifest.`);
    let appFiles = 0;
    let appBytes = 0;
    for (const name of app.composeFiles) {
      const size = regularFileSize(path.join(dir, 'compose', name));
      if (size === null) {
        if (entries(path.join(dir, 'compose'))?.includes(name)) problems.push(`${base}/compose/${name} is not a regular file.`);
        continue;
      }
      appFiles += 1;
      appBytes += size;
    }
    compareNames(`${base}/volumes`, entries(path.join(dir, 'volumes')), app.volumes.map((v) => v.name).sort(), problems);
    for (const volume of app.volumes) {
      const volumeDir = path.join(dir, 'volumes', volume.name);
      if (!entries(volumeDir)) continue;
      const found = scanTree(volumeDir);
      if (volume.entryType === 'file' && (entries(volumeDir)?.length ?? 0) !== 1)
        problems.push(`${base}/volumes/${volume.name} should hold exactly one file (a single-file mount).`);
      if (found.files !== volume.files || found.bytes !== volume.bytes)
        problems.push(
          `${base}/volumes/${volume.name}: ${counts(found.files, found.bytes)} restored, the manifest says ${counts(volume.files, volume.bytes)}.`,
        );
      appFiles += found.files;
      appBytes += found.bytes;
    }
    if (appFiles !== app.files || appBytes !== app.bytes)
      problems.push(`${app.id}: ${counts(appFiles, appBytes)} restored, the manifest says ${counts(app.files, app.bytes)}.`);
    files += appFiles;
    bytes += appBytes;
  }
  if (expected.system) {
    const listed = expected.system.files.map((f) => f.replace(/^system\//, '')).sort();
    compareNames('system', entries(path.join(root, 'system')), listed, problems);
    let systemBytes = 0;
    for (const name of listed) {
      const size = regularFileSize(path.join(root, 'system', name));
      if (size === null) continue;
      files += 1;
      systemBytes += size;
    }
    if (systemBytes !== expected.system.bytes)
      problems.push(`system: ${formatBytes(systemBytes)} restored, the manifest says ${formatBytes(expected.system.bytes)}.`);
    bytes += systemBytes;
  }
  if (files !== expected.files || bytes !== expected.bytes)
    problems.push(`In all ${counts(files, bytes)} restored, the manifest says ${counts(expected.files, expected.bytes)}.`);
  return { problems, files, bytes, sqliteFiles: scanTree(root).sqliteFiles.sort() };
}
