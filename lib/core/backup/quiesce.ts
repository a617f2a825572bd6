import { AppError } from '../errors';
import type { ComposeProject, DockerRuntime } from '../runtime/docker-runtime';

/** What must be started again if this process dies: persisted before each stop. */
export interface StoppedApp extends ComposeProject {
  id: string;
  services: string[];
}

/**
 * Stops an app's running containers for the time its volumes are archived and starts exactly
 * those again. Whatever happens to the backup (error, cancel), `restartAll()` in the caller's
 * `finally` starts every container this quiescer stopped; starting is done once per app.
 */
export class Quiescer {
  private readonly stopped = new Map<string, StoppedApp>();
  /** Starts in progress: the stream's own cleanup and the caller's may ask at the same time. */
  private readonly starting = new Map<string, Promise<void>>();
  /** Stops in progress: one may run ahead of the stream (BackupStream stops the next app early). */
  private readonly stopping = new Set<Promise<unknown>>();
  /** Set by restartAll: the backup is ending, nothing may be stopped any more. */
  private ending = false;

  constructor(
    private readonly runtime: DockerRuntime,
    private readonly log: (message: string, level?: 'info' | 'warn' | 'error') => Promise<void>,
    /** Records the apps awaiting a start (the catalog row), for recovery after a crash. */
    private readonly persist: (stopped: StoppedApp[]) => Promise<void> = async () => {},
  ) {}

  /** Stops the app's running services; returns them (empty when nothing ran). */
  stop(app: ComposeProject & { id: string }): Promise<string[]> {
    if (this.ending) return Promise.reject(new AppError('cancelled', `The backup ended before ${app.id} was stopped.`));
    const stop = this.stopNow(app);
    this.stopping.add(stop);
    stop.then(
      () => this.stopping.delete(stop),
      () => this.stopping.delete(stop),
    );
    return stop;
  }

  private async stopNow(app: ComposeProject & { id: string }): Promise<string[]> {
    const running = (await this.runtime.containers(app)).filter((c) => c.running).map((c) => c.service);
    const services = [...new Set(running)];
    if (services.length === 0) return [];
    // Recorded first: a stop that fails half-way, or a crash, still gets its start.
    this.stopped.set(app.id, { id: app.id, project: app.project, composeFile: app.composeFile, dir: app.dir, services });
    await this.persist([...this.stopped.values()]);
    await this.log(`Stopping ${app.id} (${services.join(', ')}) for a consistent copy of its data.`);
    await this.runtime.stop(app, services);
    return services;
  }

  restart(appId: string): Promise<void> {
    const entry = this.stopped.get(appId);
    if (!entry) return Promise.resolve();
    const inflight = this.starting.get(appId);
    if (inflight) return inflight;
    const start = (async () => {
      await this.log(`Starting ${appId} again (${entry.services.join(', ')}).`);
      await this.runtime.start(entry, entry.services);
      this.stopped.delete(appId);
      await this.persist([...this.stopped.values()]);
    })().finally(() => this.starting.delete(appId));
    this.starting.set(appId, start);
    return start;
  }

  /** Apps stopped and not started again (yet). */
  pending(): StoppedApp[] {
    return [...this.stopped.values()];
  }

  /**
   * Starts every app still stopped; failures are logged, never thrown, so all get their turn.
   * Waits for stops in progress first (their apps are started too), and refuses later ones.
   */
  async restartAll(): Promise<void> {
    this.ending = true;
    await Promise.allSettled([...this.stopping]);
    for (const appId of [...this.stopped.keys()]) {
      await this.restart(appId).catch((error: unknown) =>
        this.log(
          `Could not start ${appId} again: ${error instanceof Error ? error.message : String(error)}. Start it by hand.`,
          'error',
        ),
      );
    }
  }
}
