import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ComposeProject, DockerRuntime } from '../runtime/docker-runtime';
import type { ConsistencyMode } from './app-settings';
import { type ComposeService, parseComposeFile } from './compose-file';
import { parseEnvFile } from './env-file';

export const COMPOSE_FILE_NAMES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml'] as const;
const APP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DATABASE_IMAGE =
  /(^|\/)(postgres|postgis|pgvector|mysql|mariadb|mongo|redis|valkey|keydb|influxdb|couchdb|clickhouse|timescaledb|cockroach|immich-postgres|elasticsearch|opensearch|meilisearch)([:@-]|$)/i;
// Host paths that are the machine's, not the app's: never archived.
const SYSTEM_PATHS = ['/proc', '/sys', '/dev', '/run', '/var/run', '/etc/localtime', '/etc/timezone'];

/** What the inventory asks Docker: where a named volume's data lives (null: unknown). */
export type VolumeLookup = Pick<DockerRuntime, 'volumeMountpoint'>;

/** A volume of an app as the backup sees it: where its data is on this host. */
export interface AppVolume {
  /** The folder name inside the archive (`apps/<app>/volumes/<name>`); unique per app. */
  name: string;
  kind: 'bind' | 'named';
  /** As declared: the host path of a bind mount, the key of a named volume. */
  source: string;
  /** A named volume's name in Docker (`<project>_<key>`, its `name:`, or the key when external). */
  dockerName?: string;
  /** Absolute host path of the data, or null when it cannot be found. */
  hostPath: string | null;
  /** A bind mount may be a single file. */
  entryType: 'directory' | 'file' | 'missing';
  services: string[];
}

export interface SkippedMount {
  source: string;
  reason: string;
}

export interface AppInfo extends ComposeProject {
  id: string;
  envFile: string | null;
  services: ComposeService[];
  volumes: AppVolume[];
  skipped: SkippedMount[];
  /** Why the app cannot be backed up (a broken compose file), or null. */
  error: string | null;
  /** True when an image is a known database server (decides the default consistency). */
  hasDatabaseImage: boolean;
}

function isUnder(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function safeName(raw: string, taken: Set<string>): string {
  const base =
    raw
      .replace(/^[./~]+/, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._-]+/, '') || 'root';
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

function entryTypeOf(hostPath: string | null): AppVolume['entryType'] | 'special' {
  if (!hostPath) return 'missing';
  try {
    const stats = statSync(hostPath);
    if (stats.isDirectory()) return 'directory';
    if (stats.isFile()) return 'file';
    return 'special';
  } catch {
    return 'missing';
  }
}

/** The Compose project name Docker would use for a directory without `name:`. */
export function defaultProjectName(dirName: string): string {
  return dirName.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

async function readApp(appsDir: string, id: string, runtime: VolumeLookup): Promise<AppInfo | null> {
  const dir = path.join(appsDir, id);
  const composeName = COMPOSE_FILE_NAMES.find((name) => existsSync(path.join(dir, name)));
  if (!composeName) return null;
  const composeFile = path.join(dir, composeName);
  const envPath = path.join(dir, '.env');
  const envFile = existsSync(envPath) ? envPath : null;
  const app: AppInfo = {
    id,
    dir,
    composeFile,
    envFile,
    project: defaultProjectName(id),
    services: [],
    volumes: [],
    skipped: [],
    error: null,
    hasDatabaseImage: false,
  };
  if (!APP_ID.test(id)) {
    app.error = 'The app directory name must be 1–64 letters, digits, ".", "_" or "-".';
    return app;
  }
  let model: ReturnType<typeof parseComposeFile>;
  try {
    const env = envFile ? parseEnvFile(readFileSync(envFile, 'utf8')) : {};
    model = parseComposeFile(readFileSync(composeFile, 'utf8'), env);
  } catch (error) {
    app.error = `${composeName} cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    return app;
  }
  if (model.name) app.project = model.name;
  app.services = model.services;
  app.hasDatabaseImage = model.services.some((s) => s.image && DATABASE_IMAGE.test(s.image));

  const bySource = new Map<string, AppVolume>();
  const taken = new Set<string>();
  for (const mount of model.mounts) {
    let hostPath: string | null;
    let key: string;
    if (mount.type === 'bind') {
      const expanded = mount.source.startsWith('~') ? path.join(homedir(), mount.source.slice(1)) : mount.source;
      hostPath = path.resolve(dir, expanded);
      key = `bind:${hostPath}`;
      if (SYSTEM_PATHS.some((p) => isUnder(hostPath as string, p))) {
        app.skipped.push({ source: mount.source, reason: 'a system path of the host, not app data' });
        continue;
      }
    } else {
      const declared = model.volumes[mount.source];
      if (!declared) {
        app.skipped.push({ source: mount.source, reason: 'not declared under the top-level "volumes:"' });
        continue;
      }
      const dockerName = declared.name ?? (declared.external ? mount.source : `${app.project}_${mount.source}`);
      key = `volume:${dockerName}`;
      hostPath = bySource.get(key)?.hostPath ?? (await runtime.volumeMountpoint(dockerName));
    }
    const existing = bySource.get(key);
    if (existing) {
      if (!existing.services.includes(mount.service)) existing.services.push(mount.service);
      continue;
    }
    const entryType = entryTypeOf(hostPath);
    if (entryType === 'special') {
      app.skipped.push({ source: mount.source, reason: 'not a file or directory (a socket or device)' });
      continue;
    }
    const volume: AppVolume = {
      name: safeName(mount.type === 'bind' ? path.relative(dir, hostPath as string) || 'app' : mount.source, taken),
      kind: mount.type === 'bind' ? 'bind' : 'named',
      source: mount.source,
      ...(mount.type === 'bind' ? {} : { dockerName: key.slice('volume:'.length) }),
      hostPath,
      entryType,
      services: [mount.service],
    };
    bySource.set(key, volume);
  }
  // A mount inside another mount of the same app is already in that one's archive.
  const all = [...bySource.values()];
  app.volumes = all.filter((v) => {
    const outer = all.find(
      (o) => o !== v && o.hostPath && v.hostPath && o.entryType === 'directory' && isUnder(v.hostPath, o.hostPath),
    );
    if (outer) app.skipped.push({ source: v.source, reason: `inside ${outer.source}, which is backed up whole` });
    return !outer;
  });
  return app;
}

/**
 * Every app under the apps directory: a folder with a Compose file. A broken Compose file
 * marks that app (with the parser's reason) and never breaks the inventory.
 */
export async function listApps(appsDir: string, runtime: VolumeLookup): Promise<AppInfo[]> {
  let names: string[];
  try {
    names = readdirSync(appsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const apps: AppInfo[] = [];
  for (const name of names) {
    const app = await readApp(appsDir, name, runtime).catch(
      (error: unknown): AppInfo => ({
        id: name,
        dir: path.join(appsDir, name),
        composeFile: '',
        envFile: null,
        project: defaultProjectName(name),
        services: [],
        volumes: [],
        skipped: [],
        error: error instanceof Error ? error.message : String(error),
        hasDatabaseImage: false,
      }),
    );
    if (app) apps.push(app);
  }
  return apps;
}

/** What the user chose, else stop for apps holding a database, else live. */
export function effectiveConsistency(
  app: AppInfo,
  overrides: Map<string, ConsistencyMode>,
  sqliteFound: boolean,
): ConsistencyMode {
  return overrides.get(app.id) ?? (app.hasDatabaseImage || sqliteFound ? 'stop' : 'live');
}
