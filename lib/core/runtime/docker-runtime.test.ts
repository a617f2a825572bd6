import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDockerStandin, type StandinState } from '@/test/helpers/docker-standin';
import { AppError } from '../errors';
import { type ComposeProject, DockerRuntime } from './docker-runtime';

let root: string;
let app: ComposeProject;
const running: StandinState = {
  projects: { photos: { containers: [{ Name: 'photos-db-1', Service: 'db', State: 'running' }] } },
  volumes: { photos_data: '/var/lib/docker/volumes/photos_data/_data' },
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'docker-runtime-'));
  const dir = path.join(root, 'photos');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  db:\n    image: postgres:16\n');
  app = { project: 'photos', composeFile: path.join(dir, 'compose.yaml'), dir };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('DockerRuntime: whether Docker is there', () => {
  it('learns it from the first call, without asking `docker version` first', async () => {
    const docker = createDockerStandin(path.join(root, 'docker'), running);
    docker.install();
    const runtime = new DockerRuntime(docker.bin);
    expect(await runtime.volumeMountpoint('photos_data')).toBe('/var/lib/docker/volumes/photos_data/_data');
    expect(await runtime.availability()).toBe('available');
    expect(docker.calls().map((c) => c.args.join(' '))).toEqual(['volume inspect photos_data']);
  });

  it('asks `docker version` when nothing was called yet', async () => {
    const docker = createDockerStandin(path.join(root, 'docker'), running);
    docker.install();
    expect(await new DockerRuntime(docker.bin).availability()).toBe('available');
    expect(docker.calls().map((c) => c.args[0])).toEqual(['version']);
  });

  it('without a docker binary: nothing runs, no volume is known', async () => {
    const runtime = new DockerRuntime(path.join(root, 'no-docker-here'));
    expect(await runtime.containers(app)).toEqual([]);
    expect(await runtime.volumeMountpoint('photos_data')).toBeNull();
    expect(await runtime.availability()).toBe('missing');
  });

  it('with its daemon down from the start: nothing runs, and no further queries are made', async () => {
    const docker = createDockerStandin(path.join(root, 'docker'), { ...running, daemonDown: true });
    docker.install();
    const runtime = new DockerRuntime(docker.bin);
    expect(await runtime.containers(app)).toEqual([]);
    expect(await runtime.availability()).toBe('daemon-down');
    expect(await runtime.volumeMountpoint('photos_data')).toBeNull();
    expect(docker.calls()).toHaveLength(1);
  });

  it('once Docker answered, a daemon that goes away is an error, not "nothing runs"', async () => {
    const docker = createDockerStandin(path.join(root, 'docker'), running);
    docker.install();
    const runtime = new DockerRuntime(docker.bin);
    expect((await runtime.containers(app)).map((c) => [c.service, c.running])).toEqual([['db', true]]);
    docker.setState({ ...running, daemonDown: true });
    const failure = await runtime.containers(app).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('unavailable');
    expect((failure as AppError).message).toMatch(/list the containers of photos: the Docker daemon is not running/);
    expect(await runtime.availability()).toBe('available');
  });

  it('stop and start always run: a daemon found down fails them', async () => {
    const docker = createDockerStandin(path.join(root, 'docker'), { ...running, daemonDown: true });
    docker.install();
    const runtime = new DockerRuntime(docker.bin);
    expect(await runtime.availability()).toBe('daemon-down');
    await expect(runtime.start(app, ['db'])).rejects.toThrow(/start db of photos: the Docker daemon is not running/);
    expect(docker.calls().map((c) => c.args.slice(5).join(' '))).toEqual(['', 'start db']);
  });
});

describe('the docker stand-in under concurrent calls (as a backup makes them)', () => {
  it('keeps every state change and records every call', async () => {
    const projects: StandinState['projects'] = {};
    const apps: ComposeProject[] = [];
    for (let i = 0; i < 6; i += 1) {
      const dir = path.join(root, `app${i}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
      projects[`app${i}`] = { containers: [{ Name: `app${i}-web-1`, Service: 'web', State: 'running' }] };
      apps.push({ project: `app${i}`, composeFile: path.join(dir, 'compose.yaml'), dir });
    }
    const docker = createDockerStandin(path.join(root, 'docker'), { projects, volumes: {} });
    docker.install();
    const runtime = new DockerRuntime(docker.bin);
    await Promise.all(apps.map((a) => runtime.stop(a, ['web'])));
    expect(Object.values(docker.state().projects).map((p) => p.containers[0]?.State)).toEqual(Array(6).fill('exited'));
    expect(docker.lifecycle().sort()).toEqual(apps.map((a) => `stop ${a.project} web`).sort());
  });
});
