import path from 'node:path';
import { TreePacker } from '../archive/pack-tree';
import type { BackupContents, ManifestApp } from './manifest';
import type { BackupPlan, PlannedApp } from './plan-backup';
import type { Quiescer } from './quiesce';
import { SYSTEM_DATABASE_ENTRY, SYSTEM_SECRETS_ENTRY, type SystemSnapshot } from './system-snapshot';

/** How long before the end of an app the next one begins to stop (see stopNextEarly). */
const STOP_AHEAD_SECONDS = 1;

export interface BackupStreamOptions {
  id: string;
  plan: BackupPlan;
  createdAt: Date;
  quiescer: Quiescer;
  /** Takes the instance database snapshot (full backups): the file, its secrets, a cleanup. */
  snapshotSystem: () => Promise<SystemSnapshot>;
  signal?: AbortSignal;
  onPhase: (phase: string, currentItem?: string) => void;
  onProgress: (progress: { files: number; bytes: number; currentPath: string }) => void;
  onWarning: (message: string) => void;
}

/**
 * The plaintext of a backup: a tar stream with `apps/<app>/compose/…` and
 * `apps/<app>/volumes/<volume>/…` per app, `system/…` for a full backup, and `manifest.json`
 * last (only then are the counts known). `contents` is set when the stream ended.
 */
export class BackupStream {
  contents: BackupContents | null = null;
  private readonly packer: TreePacker;
  /** Stops begun ahead of their app (see `stopNextEarly`), by app id. */
  private readonly earlyStops = new Map<string, Promise<string[]>>();
  /** Where the app being archived ends, in packed bytes, and which app comes next. */
  private current: { endsAt: number; next: PlannedApp | undefined } | null = null;
  private readonly began = Date.now();

  constructor(private readonly options: BackupStreamOptions) {
    this.packer = new TreePacker({
      signal: options.signal,
      onWarning: options.onWarning,
      onProgress: (progress) => {
        options.onProgress(progress);
        this.stopNextEarly(progress.bytes);
      },
    });
  }

  async *stream(): AsyncGenerator<Buffer> {
    const { plan, quiescer } = this.options;
    const archived = new Map<string, ManifestApp>();
    const order = archiveOrder(plan.apps);
    for (const [index, planned] of order.entries()) {
      this.current = null;
      archived.set(planned.app.id, yield* this.app(planned, quiescer, order[index + 1]));
    }
    // Listed in the plan's (the inventory's) order, whatever order they were archived in.
    const apps = plan.apps.map((planned) => archived.get(planned.app.id) as ManifestApp);
    let system: BackupContents['system'] = null;
    if (plan.includeSystem) {
      this.options.onPhase('Archiving the system database, settings and accounts', 'system');
      const before = this.packer.result.bytes;
      const snapshot = await this.options.snapshotSystem();
      try {
        yield* this.packer.directory('system');
        yield* this.packer.file(snapshot.file, SYSTEM_DATABASE_ENTRY);
        yield* this.packer.generated(SYSTEM_SECRETS_ENTRY, snapshot.secrets);
      } finally {
        snapshot.remove();
      }
      system = { files: [SYSTEM_DATABASE_ENTRY, SYSTEM_SECRETS_ENTRY], bytes: this.packer.result.bytes - before };
    }
    const contents: BackupContents = {
      format: 'cloudos-backup-contents',
      version: 1,
      id: this.options.id,
      scope: plan.scope,
      createdAt: this.options.createdAt.toISOString(),
      apps,
      system,
      files: this.packer.result.files,
      bytes: this.packer.result.bytes,
    };
    yield* this.packer.generated('manifest.json', Buffer.from(`${JSON.stringify(contents, null, 2)}\n`));
    yield this.packer.end();
    this.contents = contents;
  }

  /**
   * Begins stopping the next app (when it must be stopped) once the current one is about
   * STOP_AHEAD_SECONDS from its end at the speed so far, so that Docker's latency (a process
   * per call, a database's shutdown) overlaps the archiving instead of stalling it. The next
   * app is down at most that much longer; its volumes are still read only once it stopped.
   */
  private stopNextEarly(bytesDone: number): void {
    const next = this.current?.next;
    if (!this.current || !next || next.consistency !== 'stop' || this.earlyStops.has(next.app.id)) return;
    const rate = bytesDone / Math.max(0.001, (Date.now() - this.began) / 1000);
    if (this.current.endsAt - bytesDone > rate * STOP_AHEAD_SECONDS) return;
    const stop = this.options.quiescer.stop(next.app);
    stop.catch(() => {}); // awaited (and its error reported) when the stream reaches the app
    this.earlyStops.set(next.app.id, stop);
  }

  private async *app(planned: PlannedApp, quiescer: Quiescer, next: PlannedApp | undefined): AsyncGenerator<Buffer, ManifestApp> {
    const { app } = planned;
    const base = `apps/${app.id}`;
    const startFiles = this.packer.result.files;
    const startBytes = this.packer.result.bytes;
    this.options.onPhase(`Archiving ${app.id}`, app.id);
    yield* this.packer.directory(base);
    yield* this.packer.directory(`${base}/compose`);
    const composeFiles = [path.basename(app.composeFile)];
    yield* this.packer.file(app.composeFile, `${base}/compose/${composeFiles[0]}`);
    if (app.envFile) {
      composeFiles.push('.env');
      yield* this.packer.file(app.envFile, `${base}/compose/.env`);
    }
    for (const missing of planned.missing)
      this.options.onWarning(`${app.id}: the volume ${missing.source} was not found on this host and is not in this backup.`);
    for (const skipped of app.skipped) this.options.onWarning(`${app.id}: skipped ${skipped.source}: ${skipped.reason}.`);

    const volumes: ManifestApp['volumes'] = [];
    if (planned.consistency === 'stop') {
      this.options.onPhase(`Stopping ${app.id}`, app.id);
      await (this.earlyStops.get(app.id) ?? quiescer.stop(app));
    }
    try {
      this.options.onPhase(`Archiving ${app.id}`, app.id);
      this.current = { endsAt: this.packer.result.bytes + planned.bytes, next };
      yield* this.packer.directory(`${base}/volumes`);
      for (const volume of planned.volumes) {
        const prefix = `${base}/volumes/${volume.name}`;
        const files = this.packer.result.files;
        const bytes = this.packer.result.bytes;
        if (volume.entryType === 'directory') {
          yield* this.packer.tree(volume.hostPath, prefix);
        } else {
          yield* this.packer.directory(prefix);
          yield* this.packer.file(volume.hostPath, `${prefix}/${path.basename(volume.hostPath)}`);
        }
        volumes.push({
          name: volume.name,
          kind: volume.kind,
          source: volume.source,
          ...(volume.dockerName ? { dockerName: volume.dockerName } : {}),
          entryType: volume.entryType,
          files: this.packer.result.files - files,
          bytes: this.packer.result.bytes - bytes,
        });
      }
    } finally {
      // Started in the background: the stream goes on with the next app while Docker starts
      // this one (seconds for a database). The backup waits for every start before it ends,
      // and retries a failed one once more then (Quiescer.restartAll).
      quiescer
        .restart(app.id)
        .catch((error: unknown) =>
          this.options.onWarning(`${app.id} did not start again: ${error instanceof Error ? error.message : String(error)}`),
        );
    }
    return {
      id: app.id,
      consistency: planned.consistency,
      composeFiles,
      volumes,
      skipped: [...app.skipped, ...planned.missing.map((m) => ({ source: m.source, reason: 'not found on this host' }))],
      files: this.packer.result.files - startFiles,
      bytes: this.packer.result.bytes - startBytes,
    };
  }
}

/**
 * The plan's order, except that an app in stop mode does not come last when an app in live
 * mode can follow it: that live app moves to the end, so the stopped app's containers start
 * again while it is read, instead of the backup waiting for them once the data ends (a
 * database container can take seconds to start).
 */
export function archiveOrder(apps: PlannedApp[]): PlannedApp[] {
  if (apps.at(-1)?.consistency !== 'stop') return apps;
  const live = apps.findLastIndex((a) => a.consistency === 'live');
  if (live < 0) return apps;
  return [...apps.slice(0, live), ...apps.slice(live + 1), apps[live] as PlannedApp];
}
