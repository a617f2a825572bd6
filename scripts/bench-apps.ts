// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose files use ${VAR} themselves.
// The home server that `npm run bench` backs up: three Compose apps over the shared benchmark
// dataset (scripts/bench-lib.ts), plus the docker stand-in's state for them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StandinState } from '../test/helpers/docker-standin';
import { generateDataset } from './bench-lib';

export interface BenchApps {
  appsDir: string;
  files: number;
  /** The stand-in's starting state: every container running, the named volume's mountpoint. */
  dockerState: StandinState;
}

function compose(dir: string, lines: string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'docker-compose.yml'), `${lines.join('\n')}\n`);
}

/**
 * Lays out `root`: `apps/photos` (the incompressible half as a photo library, a database
 * image, so it is stopped while read, and a small named volume under `volumes/`),
 * `apps/notes` (the small documents) and `apps/homeassistant` (the big text logs). Everything
 * a backup reads lies under `root`, so the floor and `archive create` read the same bytes.
 */
export function createBenchApps(root: string, totalBytes: number): BenchApps {
  const appsDir = path.join(root, 'apps');
  const photos = path.join(appsDir, 'photos');
  const notes = path.join(appsDir, 'notes');
  const homeassistant = path.join(appsDir, 'homeassistant');
  const redisVolume = path.join(root, 'volumes', 'photos_redis-data', '_data');
  compose(photos, [
    'services:',
    '  server:',
    '    image: ghcr.io/immich-app/immich-server:${IMMICH_VERSION:-release}',
    '    volumes:',
    '      - ./library:/usr/src/app/upload',
    '  database:',
    '    image: postgres:16',
    '    volumes:',
    '      - ./postgres:/var/lib/postgresql/data',
    '  redis:',
    '    image: redis:7',
    '    volumes:',
    '      - redis-data:/data',
    'volumes:',
    '  redis-data:',
  ]);
  writeFileSync(path.join(photos, '.env'), 'IMMICH_VERSION=v1.120.0\nDB_PASSWORD=benchmark-only\n');
  mkdirSync(path.join(photos, 'postgres'), { recursive: true });
  writeFileSync(path.join(photos, 'postgres', 'PG_VERSION'), '16\n');
  mkdirSync(redisVolume, { recursive: true });
  writeFileSync(path.join(redisVolume, 'dump.rdb'), randomBytes(64 * 1024));
  compose(notes, ['services:', '  app:', '    image: ghcr.io/example/notes:2', '    volumes:', '      - ./data:/data']);
  compose(homeassistant, [
    'services:',
    '  homeassistant:',
    '    image: ghcr.io/home-assistant/home-assistant:stable',
    '    volumes:',
    '      - ./config:/config',
  ]);
  const { files } = generateDataset(totalBytes, {
    photos: path.join(photos, 'library', '2026'),
    logs: path.join(homeassistant, 'config', 'logs'),
    documents: path.join(notes, 'data', 'pages'),
  });
  const running = (services: string[], project: string) =>
    services.map((s) => ({ Name: `${project}-${s}-1`, Service: s, State: 'running' as const }));
  return {
    appsDir,
    files,
    dockerState: {
      projects: {
        photos: { containers: running(['server', 'database', 'redis'], 'photos') },
        notes: { containers: running(['app'], 'notes') },
        homeassistant: { containers: running(['homeassistant'], 'homeassistant') },
      },
      volumes: { 'photos_redis-data': redisVolume },
    },
  };
}
