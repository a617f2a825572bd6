// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose syntax is ${VAR}; these strings are Compose text.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDockerStandin } from '@/test/helpers/docker-standin';
import { DockerRuntime } from '../runtime/docker-runtime';
import { interpolate, parseEnvFile } from './env-file';
import { listApps } from './inventory';

let root: string;
let appsDir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cloudos-inventory-'));
  appsDir = path.join(root, 'apps');
  mkdirSync(appsDir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function app(id: string, files: Record<string, string>, dirs: string[] = []) {
  for (const d of dirs) mkdirSync(path.join(appsDir, id, d), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(appsDir, id, name)), { recursive: true });
    writeFileSync(path.join(appsDir, id, name), content);
  }
}

const noDocker = new DockerRuntime(path.join(tmpdir(), 'no-such-docker-binary'));

describe('.env files and interpolation', () => {
  it('reads KEY=value lines as Compose does', () => {
    expect(parseEnvFile('# c\nA=1\nexport B="two\\nlines"\nC=\'$lit\'\nD=x # note\n\nbad line\n')).toEqual({
      A: '1',
      B: 'two\nlines',
      C: '$lit',
      D: 'x',
    });
  });

  it('interpolates $VAR, ${VAR}, defaults and $$', () => {
    const env = { DIR: '/srv', EMPTY: '' };
    expect(interpolate('${DIR}/a:$DIR/b:${MISSING:-./def}:${EMPTY:-e}:${EMPTY-e}:$$HOME', env)).toBe(
      '/srv/a:/srv/b:./def:e::$HOME',
    );
  });
});

describe('listApps', () => {
  it('finds bind mounts (relative, absolute, via .env) and dedupes and nests them', async () => {
    const outside = path.join(root, 'media');
    mkdirSync(outside);
    app(
      'media',
      {
        'compose.yaml': [
          'services:',
          '  web:',
          '    image: jellyfin/jellyfin',
          '    volumes: ["./config:/config", "${MEDIA}:/media:ro", "./config/cache:/cache", "/var/run/docker.sock:/var/run/docker.sock", "/anon"]',
          '  helper:',
          '    image: busybox',
          '    volumes: ["./config:/config"]',
          '',
        ].join('\n'),
        '.env': `MEDIA=${outside}\n`,
      },
      ['config/cache'],
    );
    const [media] = await listApps(appsDir, noDocker);
    expect(media?.error).toBeNull();
    expect(media?.volumes.map((v) => [v.name, v.kind, v.hostPath, v.services])).toEqual([
      ['config', 'bind', path.join(appsDir, 'media', 'config'), ['web', 'helper']],
      ['media', 'bind', outside, ['web']],
    ]);
    expect(media?.skipped).toEqual([
      { source: '/var/run/docker.sock', reason: 'a system path of the host, not app data' },
      { source: './config/cache', reason: 'inside ./config, which is backed up whole' },
    ]);
    expect(media?.hasDatabaseImage).toBe(false);
  });

  it('marks a broken compose file on its app only', async () => {
    app('good', { 'docker-compose.yml': 'services:\n  a:\n    image: postgres:16\n' });
    app('bad', { 'docker-compose.yml': 'services: [\n' });
    app('empty', { 'compose.yml': '' });
    app('not-an-app', { 'README.md': 'no compose file here' });
    const apps = await listApps(appsDir, noDocker);
    expect(apps.map((a) => [a.id, a.error === null])).toEqual([
      ['bad', false],
      ['empty', false],
      ['good', true],
    ]);
    expect(apps[0]?.error).toMatch(/^docker-compose.yml cannot be read: /);
    expect(apps[1]?.error).toBe('compose.yml cannot be read: the file is empty or not a YAML mapping');
    expect(apps[2]?.hasDatabaseImage).toBe(true);
  });

  it('resolves named volumes through docker volume inspect, and says when one is unknown', async () => {
    const volumeDir = path.join(root, 'volumes', 'db');
    mkdirSync(volumeDir, { recursive: true });
    app('cloud', {
      'docker-compose.yml': [
        'name: nextcloud',
        'services:',
        '  db:',
        '    image: mariadb:11',
        '    volumes: [db:/var/lib/mysql, {type: volume, source: files, target: /files}, shared:/shared]',
        'volumes:',
        '  db: {}',
        '  files: {}',
        '  shared: {external: true}',
        '',
      ].join('\n'),
    });
    const docker = createDockerStandin(path.join(root, 'docker'), { projects: {}, volumes: { nextcloud_db: volumeDir } });
    docker.install();
    const [cloud] = await listApps(appsDir, new DockerRuntime(docker.bin));
    expect(cloud?.project).toBe('nextcloud');
    expect(cloud?.volumes.map((v) => [v.name, v.kind, v.hostPath, v.entryType])).toEqual([
      ['db', 'named', volumeDir, 'directory'],
      ['files', 'named', null, 'missing'],
      ['shared', 'named', null, 'missing'],
    ]);
    // No `docker version` first: the first inspect tells whether Docker is there.
    expect(docker.calls().map((c) => c.args.join(' '))).toEqual([
      'volume inspect nextcloud_db',
      'volume inspect nextcloud_files',
      'volume inspect shared',
    ]);
  });

  it('treats apps as not running when no docker is installed', async () => {
    app('a', { 'compose.yaml': 'services:\n  x:\n    image: busybox\n' });
    expect(await noDocker.availability()).toBe('missing');
    const [a] = await listApps(appsDir, noDocker);
    expect(await noDocker.containers(a as NonNullable<typeof a>)).toEqual([]);
  });
});
