import { execFile } from 'node:child_process';
import { AppError } from '../errors';

/** Which Compose project an app is, and where its file lives. */
export interface ComposeProject {
  project: string;
  composeFile: string;
  dir: string;
}

export interface ContainerState {
  name: string;
  service: string;
  running: boolean;
  state: string;
}

export type RuntimeAvailability = 'available' | 'missing' | 'daemon-down';

const QUERY_TIMEOUT_MS = 30_000;
// `compose stop` waits up to each container's stop grace period (10 s by default) per service.
const STOP_START_TIMEOUT_MS = 300_000;

interface RunResult {
  stdout: string;
  stderr: string;
}

class DockerCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly errno: string | undefined,
  ) {
    super(stderr.trim() || errno || 'docker failed');
  }
}

function isDaemonDown(stderr: string): boolean {
  return /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect/i.test(stderr);
}

/** One container line of `docker compose ps --format json`: an array (older) or JSON lines. */
function parseContainers(stdout: string): ContainerState[] {
  const text = stdout.trim();
  if (text === '') return [];
  const rows: unknown[] = text.startsWith('[') ? (JSON.parse(text) as unknown[]) : text.split('\n').map((l) => JSON.parse(l));
  return rows.map((raw) => {
    const row = raw as { Name?: string; Service?: string; State?: string };
    const state = String(row.State ?? 'unknown').toLowerCase();
    return { name: String(row.Name ?? ''), service: String(row.Service ?? ''), running: state === 'running', state };
  });
}

/**
 * Talks to Docker through its CLI (DESIGN.md §5). Where no docker binary is installed, or its
 * daemon is not running, every app counts as not running: queries answer "nothing runs" and
 * `availability()` says why, so a backup can say so once in its log.
 */
export class DockerRuntime {
  private availabilityCache: RuntimeAvailability | null = null;
  private readonly mountpoints = new Map<string, Promise<string | null>>();

  constructor(private readonly bin: string) {}

  private run(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      execFile(
        this.bin,
        args,
        { cwd: options.cwd, timeout: options.timeoutMs ?? QUERY_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) {
            this.availabilityCache ??= 'available';
            resolve({ stdout, stderr });
            return;
          }
          const failure = new DockerCommandError(args, stderr, (error as NodeJS.ErrnoException).code?.toString());
          // The first call tells whether there is a binary and a daemon behind it. Once Docker
          // answered, a later failure is that command's error, never "nothing runs here".
          this.availabilityCache ??=
            failure.errno === 'ENOENT' || failure.errno === 'EACCES'
              ? 'missing'
              : isDaemonDown(stderr)
                ? 'daemon-down'
                : 'available';
          reject(failure);
        },
      );
    });
  }

  /**
   * Whether containers can be queried at all, asked once per runtime: learnt from the first
   * docker call of any kind, or from `docker version` when nothing was called yet. (Each call
   * is a process start; a backup should not spend one only to ask.)
   */
  async availability(): Promise<RuntimeAvailability> {
    if (this.availabilityCache) return this.availabilityCache;
    await this.run(['version', '--format', 'json']).catch(() => {});
    return this.availabilityCache ?? 'available';
  }

  /**
   * Runs a query or command, or answers null without running anything when Docker is known to
   * be missing or its daemon down: then every app counts as not running (DESIGN.md §5).
   */
  private async tryRun(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult | null> {
    if (this.availabilityCache && this.availabilityCache !== 'available') return null;
    try {
      return await this.run(args, options);
    } catch (error) {
      if (this.availabilityCache !== 'available') return null; // this very call found no Docker
      throw error;
    }
  }

  private composeArgs(app: ComposeProject, args: string[]): string[] {
    return ['compose', '-p', app.project, '-f', app.composeFile, ...args];
  }

  /** The app's containers with their state; empty when Docker is not there. */
  async containers(app: ComposeProject): Promise<ContainerState[]> {
    try {
      const listed = await this.tryRun(this.composeArgs(app, ['ps', '--all', '--format', 'json']), { cwd: app.dir });
      return listed ? parseContainers(listed.stdout) : [];
    } catch (error) {
      throw this.translate(error, `list the containers of ${app.project}`);
    }
  }

  async stop(app: ComposeProject, services: string[]): Promise<void> {
    if (services.length === 0) return;
    try {
      // Always run: a stop or start that did nothing must not pass for done.
      await this.run(this.composeArgs(app, ['stop', ...services]), { cwd: app.dir, timeoutMs: STOP_START_TIMEOUT_MS });
    } catch (error) {
      throw this.translate(error, `stop ${services.join(', ')} of ${app.project}`);
    }
  }

  async start(app: ComposeProject, services: string[]): Promise<void> {
    if (services.length === 0) return;
    try {
      await this.run(this.composeArgs(app, ['start', ...services]), { cwd: app.dir, timeoutMs: STOP_START_TIMEOUT_MS });
    } catch (error) {
      throw this.translate(error, `start ${services.join(', ')} of ${app.project}`);
    }
  }

  /**
   * Where a named volume's data lives on the host, or null when Docker does not know it.
   * Asked once per volume and runtime: a caller may ask ahead (see prefetch) and again later.
   */
  volumeMountpoint(volumeName: string): Promise<string | null> {
    let answer = this.mountpoints.get(volumeName);
    if (!answer) {
      answer = this.inspectVolume(volumeName);
      this.mountpoints.set(volumeName, answer);
    }
    return answer;
  }

  /**
   * Creates a named volume and returns where its data lives. With `compose`, it is labelled as
   * Compose labels the volumes of a project, so `docker compose up` adopts it without a
   * warning. Fails with `unavailable` when no Docker engine runs: only the engine can make one.
   */
  async createVolume(volumeName: string, compose: { project: string; volume: string } | null): Promise<string> {
    const labels = compose
      ? ['--label', `com.docker.compose.project=${compose.project}`, '--label', `com.docker.compose.volume=${compose.volume}`]
      : [];
    try {
      await this.run(['volume', 'create', ...labels, volumeName]);
    } catch (error) {
      if (error instanceof DockerCommandError && !isDaemonDown(error.stderr) && error.errno === undefined)
        throw this.translate(error, `create the volume ${volumeName}`);
      throw new AppError(
        'unavailable',
        `The named volume "${volumeName}" must be created, and only a running Docker engine can do that (${this.bin}): start Docker, then restore again. Nothing was changed.`,
      );
    }
    this.mountpoints.delete(volumeName);
    const mountpoint = await this.volumeMountpoint(volumeName);
    if (!mountpoint) throw new AppError('internal', `Docker created the volume ${volumeName} but does not say where it lives.`);
    return mountpoint;
  }

  private async inspectVolume(volumeName: string): Promise<string | null> {
    try {
      const inspected = await this.tryRun(['volume', 'inspect', volumeName]);
      if (!inspected) return null;
      const [info] = JSON.parse(inspected.stdout) as { Mountpoint?: string }[];
      return info?.Mountpoint ?? null;
    } catch (error) {
      if (error instanceof DockerCommandError && /no such volume/i.test(error.stderr)) return null;
      throw this.translate(error, `inspect the volume ${volumeName}`);
    }
  }

  private translate(error: unknown, what: string): AppError {
    if (!(error instanceof DockerCommandError)) return new AppError('internal', `Could not ${what}: ${String(error)}`);
    const detail = error.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500) || error.errno || 'unknown error';
    if (isDaemonDown(error.stderr))
      return new AppError('unavailable', `Could not ${what}: the Docker daemon is not running (${detail}).`);
    return new AppError('internal', `Could not ${what}: docker said: ${detail}`);
  }
}
