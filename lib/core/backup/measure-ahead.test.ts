import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDockerStandin } from '@/test/helpers/docker-standin';
import { listApps } from '../apps/inventory';
import { scanTree } from '../apps/scan-tree';
import { DockerRuntime } from '../runtime/docker-runtime';
import { describeAppsWithoutDocker, measureWhileDockerAnswers } from './measure-ahead';
import { planBackup } from './plan-backup';

let root: string;
let appsDir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'measure-ahead-'));
  appsDir = path.join(root, 'apps');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function app(id: string, compose: string, files: Record<string, number>): void {
  const dir = path.join(appsDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'compose.yaml'), compose);
  for (const [name, size] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), Buffer.alloc(size, 1));
  }
}

describe('measureWhileDockerAnswers', () => {
  it('measures the wanted apps’ bind mounts, looks each named volume up once, and plans as without it', async () => {
    const volume = path.join(root, 'volumes', 'photos_db', '_data');
    mkdirSync(volume, { recursive: true });
    writeFileSync(path.join(volume, 'pg.dat'), Buffer.alloc(3000, 2));
    app('photos', 'services:\n  web:\n    image: immich\n    volumes: [./library:/lib, db:/db]\nvolumes:\n  db: {}\n', {
      'library/a.jpg': 1000,
      'library/2026/b.jpg': 2000,
    });
    app('notes', 'services:\n  app:\n    image: notes\n    volumes: [./data:/data]\n', { 'data/n.md': 50 });
    const docker = createDockerStandin(path.join(root, 'docker'), { projects: {}, volumes: { photos_db: volume } });
    docker.install();
    const runtime = new DockerRuntime(docker.bin);

    const described = await describeAppsWithoutDocker(appsDir);
    expect(described.volumeNames).toEqual(['photos_db']);
    expect(docker.calls()).toEqual([]); // describing asks Docker nothing
    const measured = await measureWhileDockerAnswers(described, runtime, (id) => id === 'photos');
    expect([...measured.keys()]).toEqual([path.join(appsDir, 'photos', 'library')]); // not notes: not wanted
    expect(measured.get(path.join(appsDir, 'photos', 'library'))).toEqual(scanTree(path.join(appsDir, 'photos', 'library')));

    const inventory = await listApps(appsDir, runtime);
    expect(docker.calls().map((c) => c.args.join(' '))).toEqual(['volume inspect photos_db']); // asked once
    const plan = planBackup('apps', ['photos'], inventory, new Map(), measured);
    const unaided = planBackup('apps', ['photos'], inventory, new Map());
    expect(plan).toEqual(unaided);
    expect(plan.apps[0]?.volumes.map((v) => [v.name, v.files, v.bytes])).toEqual([
      ['library', 2, 3000],
      ['db', 1, 3000],
    ]);
  });

  it('a volume Docker does not know is looked up once and counts as missing, as before', async () => {
    app('cloud', 'services:\n  db:\n    image: mariadb\n    volumes: [db:/var/lib/mysql]\nvolumes:\n  db: {}\n', {});
    const docker = createDockerStandin(path.join(root, 'docker'), { projects: {}, volumes: {} });
    docker.install();
    const runtime = new DockerRuntime(docker.bin);
    await measureWhileDockerAnswers(await describeAppsWithoutDocker(appsDir), runtime, () => true);
    const [cloud] = await listApps(appsDir, runtime);
    expect(cloud?.error).toBeNull();
    expect(cloud?.volumes.map((v) => [v.name, v.entryType])).toEqual([['db', 'missing']]);
    expect(docker.calls()).toHaveLength(1);
  });
});
