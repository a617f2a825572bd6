import type { Db } from '../db/client';
import { DockerRuntime, type RuntimeAvailability } from '../runtime/docker-runtime';
import { type ConsistencyMode, getConsistencyOverrides } from './app-settings';
import { effectiveConsistency, listApps } from './inventory';
import { scanTree } from './scan-tree';

export interface AppOverview {
  id: string;
  dir: string;
  composeFile: string;
  error: string | null;
  services: { name: string; image: string | null; state: string }[];
  running: boolean;
  volumes: {
    name: string;
    kind: 'bind' | 'named';
    source: string;
    hostPath: string | null;
    files: number;
    bytes: number;
    found: boolean;
  }[];
  skipped: { source: string; reason: string }[];
  files: number;
  bytes: number;
  consistency: ConsistencyMode;
  /** True when the user chose the mode; false when it is the default. */
  consistencyChosen: boolean;
}

/** Every app with its volumes, data size, container state and backup mode (UI and CLI). */
export async function appOverview(
  db: Db,
  env: { appsDir: string; dockerBin: string },
): Promise<{ apps: AppOverview[]; docker: RuntimeAvailability }> {
  const runtime = new DockerRuntime(env.dockerBin);
  const docker = await runtime.availability();
  const overrides = await getConsistencyOverrides(db);
  const apps: AppOverview[] = [];
  for (const app of await listApps(env.appsDir, runtime)) {
    const volumes = app.volumes.map((v) => {
      const size = v.hostPath && v.entryType !== 'missing' ? scanTree(v.hostPath) : null;
      return {
        name: v.name,
        kind: v.kind,
        source: v.source,
        hostPath: v.hostPath,
        files: size?.files ?? 0,
        bytes: size?.bytes ?? 0,
        found: size !== null,
        sqlite: (size?.sqliteFiles.length ?? 0) > 0,
      };
    });
    const containers = app.error ? [] : await runtime.containers(app).catch(() => []);
    apps.push({
      id: app.id,
      dir: app.dir,
      composeFile: app.composeFile,
      error: app.error,
      services: app.services.map((s) => ({
        name: s.name,
        image: s.image,
        state: containers.find((c) => c.service === s.name)?.state ?? (docker === 'available' ? 'not created' : 'unknown'),
      })),
      running: containers.some((c) => c.running),
      volumes: volumes.map(({ sqlite: _s, ...v }) => v),
      skipped: app.skipped,
      files: volumes.reduce((n, v) => n + v.files, 0),
      bytes: volumes.reduce((n, v) => n + v.bytes, 0),
      consistency: effectiveConsistency(
        app,
        overrides,
        volumes.some((v) => v.sqlite),
      ),
      consistencyChosen: overrides.has(app.id),
    });
  }
  return { apps, docker };
}
