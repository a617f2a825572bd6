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

  constructor(private readonly bin: string) {}

  private run(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      execFile(
        this.bin,
        args,
        { cwd: options.cwd, timeout: options.timeoutMs ?? QUERY_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error) reject(new DockerCommandError(args, stderr, (error as NodeJS.ErrnoException).code?.toString()));
          else resolve({ stdout, stderr });
        },
      );
    });
  }

  /** Whether containers can be queried at all; asked once per runtime. */
  async availability(): Promise<RuntimeAvailability> {
    if (this.availabilityCache) return this.availabilityCache;
    try {
      await this.run(['version', '--format', 'json']);
      this.availabilityCache = 'available';
    } catch (error) {
      const e = error as DockerCommandError;
      this.availabilityCache =
        e.errno === 'ENOENT' || e.errno === 'EACCES' ? 'missing' : isDaemonDown(e.stderr) ? 'daemon-down' : 'available';
    }
    return this.availabilityCache;
  }

  private compose(app: ComposeProject, args: string[], timeoutMs?: number): Promise<RunResult> {
    return this.run(['compose', '-p', app.project, '-f', app.composeFile, ...args], { cwd: app.dir, timeoutMs });
  }

  /** The app's containers with their state; empty when Docker is not there. */
  async containers(app: ComposeProject): Promise<ContainerState[]> {
    if ((await this.availability()) !== 'available') return [];
    try {
      return parseContainers((await this.compose(app, ['ps', '--all', '--format', 'json'])).stdout);
    } catch (error) {
      throw this.translate(error, `list the containers of ${app.project}`);
    }
  }

  async stop(app: ComposeProject, services: string[]): Promise<void> {
    if (services.length === 0) return;
    try {
      await this.compose(app, ['stop', ...services], STOP_START_TIMEOUT_MS);
    } catch (error) {
      throw this.translate(error, `stop ${services.join(', ')} of ${app.project}`);
    }
  }

  async start(app: ComposeProject, services: string[]): Promise<void> {
    if (services.length === 0) return;
    try {
      await this.compose(app, ['start', ...services], STOP_START_TIMEOUT_MS);
    } catch (error) {
      throw this.translate(error, `start ${services.join(', ')} of ${app.project}`);
    }
  }

  /** Where a named volume's data lives on the host, or null when Docker does not know it. */
  async volumeMountpoint(volumeName: string): Promise<string | null> {
    if ((await this.availability()) !== 'available') return null;
    try {
      const { stdout } = await this.run(['volume', 'inspect', volumeName]);
      const [info] = JSON.parse(stdout) as { Mountpoint?: string }[];
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
