import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listApps } from '../apps/inventory';
import type { ComposeProject, ContainerState, DockerRuntime } from '../runtime/docker-runtime';
import { sleep } from '../util/sleep';
import { archiveOrder, BackupStream } from './backup-stream';
import { type BackupPlan, type PlannedApp, planBackup } from './plan-backup';
import { Quiescer } from './quiesce';

let appsDir: string;
beforeEach(() => {
  appsDir = mkdtempSync(path.join(tmpdir(), 'backup-stream-'));
});
afterEach(() => rmSync(appsDir, { recursive: true, force: true }));

/** An app with a database image (so it is stopped while read) and `files` files of data. */
function databaseApp(id: string, files: number): void {
  const data = path.join(appsDir, id, 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(
    path.join(appsDir, id, 'compose.yaml'),
    'services:\n  db:\n    image: postgres:16\n    volumes: [./data:/data]\n',
  );
  for (let i = 0; i < files; i += 1) writeFileSync(path.join(data, `file-${i}.bin`), Buffer.alloc(64 * 1024, i));
}

/** An app without a database (image or SQLite file), so it is archived live. */
function liveApp(id: string, files: number): void {
  const data = path.join(appsDir, id, 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(path.join(appsDir, id, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1\n    volumes: [./data:/data]\n');
  for (let i = 0; i < files; i += 1) writeFileSync(path.join(data, `file-${i}.bin`), Buffer.alloc(64 * 1024, i));
}

/**
 * A Docker whose stops take `stopMs` and that writes down, in one timeline with the stream's
 * progress, when each call began and ended.
 */
function slowDocker(events: string[], stopMs: number): DockerRuntime {
  const running = new Map<string, boolean>();
  const fake = {
    async availability() {
      return 'available' as const;
    },
    async volumeMountpoint() {
      return null;
    },
    async containers(app: ComposeProject): Promise<ContainerState[]> {
      return [{ name: `${app.project}-db-1`, service: 'db', running: running.get(app.project) ?? true, state: 'running' }];
    },
    async stop(app: ComposeProject) {
      events.push(`stop ${app.project} began`);
      await sleep(stopMs);
      running.set(app.project, false);
      events.push(`stop ${app.project} done`);
    },
    async start(app: ComposeProject) {
      events.push(`start ${app.project}`);
      running.set(app.project, true);
    },
  };
  return fake as unknown as DockerRuntime;
}

/** Apps alpha and beta, 40 files each, both stopped while read by a Docker whose stops take 300 ms. */
async function twoDatabaseApps() {
  databaseApp('alpha', 40);
  databaseApp('beta', 40);
  const events: string[] = [];
  const runtime = slowDocker(events, 300);
  const plan = planBackup('apps', ['alpha', 'beta'], await listApps(appsDir, runtime), new Map());
  return { events, plan, quiescer: new Quiescer(runtime, async () => {}) };
}

/**
 * Reads a BackupStream to its end as a target would, noting which app each file belongs to;
 * `first` and `last` find an event's place in the timeline.
 */
async function archive(plan: BackupPlan, quiescer: Quiescer, events: string[]) {
  const stream = new BackupStream({
    id: 'test',
    plan,
    createdAt: new Date(),
    quiescer,
    snapshotSystem: async () => {
      throw new Error('not a full backup');
    },
    onPhase: () => {},
    onProgress: ({ currentPath }) => {
      const match = /^apps\/(\w+)\/volumes\/data\/file-/.exec(currentPath);
      if (match) events.push(`${match[1]} file`);
    },
    onWarning: (message) => events.push(`warning: ${message}`),
  });
  for await (const _piece of stream.stream()) {
    // consumed as a target would
  }
  await quiescer.restartAll();
  const first = (label: string) => events.indexOf(label);
  const last = (label: string) => events.lastIndexOf(label);
  return { stream, first, last };
}

describe('BackupStream archive order', () => {
  it('archives an app that is stopped before a live one, so that it starts again while the live one is read', async () => {
    liveApp('alpha', 40);
    databaseApp('beta', 40);
    const events: string[] = [];
    const runtime = slowDocker(events, 50);
    const plan = planBackup('apps', ['alpha', 'beta'], await listApps(appsDir, runtime), new Map());
    expect(plan.apps.map((a) => [a.app.id, a.consistency])).toEqual([
      ['alpha', 'live'],
      ['beta', 'stop'],
    ]);
    const quiescer = new Quiescer(runtime, async () => {});
    const { stream, first, last } = await archive(plan, quiescer, events);
    expect(first('stop beta done')).toBeLessThan(first('beta file'));
    expect(last('beta file')).toBeLessThan(first('alpha file'));
    expect(first('start beta')).toBeGreaterThan(last('beta file'));
    expect(first('start beta')).toBeLessThan(last('alpha file'));
    expect(events.filter((e) => e === 'alpha file')).toHaveLength(40);
    expect(events.filter((e) => e === 'beta file')).toHaveLength(40);
    // The manifest lists the apps in the plan's order, with what each holds (40 data files
    // and the compose file).
    expect(stream.contents?.apps.map((a) => [a.id, a.files])).toEqual([
      ['alpha', 41],
      ['beta', 41],
    ]);
    expect(quiescer.pending()).toEqual([]);
  });

  it('moves the last live app behind a final stopped app, and otherwise keeps the plan order', () => {
    const planned = (id: string, consistency: 'stop' | 'live') => ({ app: { id }, consistency }) as PlannedApp;
    const ids = (apps: PlannedApp[]) => archiveOrder(apps).map((a) => a.app.id);
    expect(ids([planned('a', 'stop'), planned('b', 'live')])).toEqual(['a', 'b']);
    expect(ids([planned('a', 'stop'), planned('b', 'stop')])).toEqual(['a', 'b']);
    expect(ids([planned('a', 'live'), planned('b', 'live'), planned('c', 'stop')])).toEqual(['a', 'c', 'b']);
    expect(ids([planned('a', 'live'), planned('b', 'stop'), planned('c', 'stop')])).toEqual(['b', 'c', 'a']);
    expect(ids([])).toEqual([]);
  });
});

describe('BackupStream with apps that are stopped while read', () => {
  it('begins stopping the next app while the current one is archived, and reads it only once it stopped', async () => {
    const { events, plan, quiescer } = await twoDatabaseApps();
    expect(plan.apps.map((a) => [a.app.id, a.consistency])).toEqual([
      ['alpha', 'stop'],
      ['beta', 'stop'],
    ]);
    const { first, last } = await archive(plan, quiescer, events);
    // Each app is read only after its stop finished, and started again after its last file.
    expect(first('stop alpha done')).toBeLessThan(first('alpha file'));
    expect(first('stop beta done')).toBeLessThan(first('beta file'));
    expect(last('alpha file')).toBeLessThan(first('start alpha'));
    expect(last('beta file')).toBeLessThan(first('start beta'));
    // beta's stop overlapped alpha's archiving instead of waiting for its end.
    expect(first('stop beta began')).toBeLessThan(last('alpha file'));
    expect(events.filter((e) => e.startsWith('alpha file'))).toHaveLength(40);
    expect(events.filter((e) => e.startsWith('beta file'))).toHaveLength(40);
    expect(events.filter((e) => e.startsWith('warning'))).toEqual([]);
    expect(quiescer.pending()).toEqual([]);
  });

  it('a backup that ends while a stop runs ahead still starts that app again', async () => {
    const { events, plan, quiescer } = await twoDatabaseApps();
    const controller = new AbortController();
    const stream = new BackupStream({
      id: 'test',
      plan,
      createdAt: new Date(),
      quiescer,
      signal: controller.signal,
      snapshotSystem: async () => ({ file: '', secrets: Buffer.alloc(0), remove: () => {} }),
      onPhase: () => {},
      onProgress: () => {
        // Cancelled once beta began to stop, before alpha's data was all read.
        if (events.includes('stop beta began')) controller.abort(new Error('cancelled by the test'));
      },
      onWarning: () => {},
    });
    await expect(
      (async () => {
        for await (const _piece of stream.stream()) {
          // consumed as a target would
        }
      })(),
    ).rejects.toThrow('cancelled by the test');
    await quiescer.restartAll();
    expect(events.filter((e) => e.startsWith('stop') || e.startsWith('start'))).toEqual([
      'stop alpha began',
      'stop alpha done',
      'stop beta began',
      'start alpha',
      'stop beta done',
      'start beta',
    ]);
    expect(quiescer.pending()).toEqual([]);
  });
});
