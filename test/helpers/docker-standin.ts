import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DOCKER_STANDIN_BIN = path.resolve(import.meta.dirname, '..', 'docker-standin', 'docker');

export interface StandinContainer {
  Name: string;
  Service: string;
  State: 'running' | 'exited' | 'created' | 'paused';
}

export interface StandinState {
  projects: Record<string, { containers: StandinContainer[] }>;
  volumes: Record<string, string>;
  /** "stop <project>" / "start <project>": that call fails like a daemon error. */
  fail?: string[];
  /** "stop <project>" / "start <project>": that call takes this long (a window to kill its caller). */
  delayMs?: Record<string, number>;
  /** Every call fails as the real CLI does when its daemon is not running. */
  daemonDown?: boolean;
}

export interface StandinCall {
  args: string[];
  cwd: string;
  at: number;
  unexpected?: boolean;
}

/**
 * The docker CLI stand-in of test/docker-standin, with its own state and call log in `dir`.
 * `env` is what a process needs to use it (CLOUDOS_DOCKER_BIN and the stand-in's files).
 */
export function createDockerStandin(dir: string, initial: StandinState) {
  mkdirSync(dir, { recursive: true });
  const stateFile = path.join(dir, 'docker-state.json');
  const logFile = path.join(dir, 'docker-calls.jsonl');
  writeFileSync(stateFile, JSON.stringify(initial, null, 2));
  writeFileSync(logFile, '');
  const env = { CLOUDOS_DOCKER_BIN: DOCKER_STANDIN_BIN, DOCKER_STANDIN_STATE: stateFile, DOCKER_STANDIN_LOG: logFile };
  return {
    bin: DOCKER_STANDIN_BIN,
    env,
    /** Makes this process's children (and in-process runtimes) use this stand-in. */
    install(): void {
      Object.assign(process.env, { DOCKER_STANDIN_STATE: stateFile, DOCKER_STANDIN_LOG: logFile });
    },
    state(): StandinState {
      return JSON.parse(readFileSync(stateFile, 'utf8')) as StandinState;
    },
    setState(next: StandinState): void {
      writeFileSync(stateFile, JSON.stringify(next, null, 2));
    },
    calls(): StandinCall[] {
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StandinCall);
    },
    /** Only the calls that change something: "stop photos db", "start photos db". */
    lifecycle(): string[] {
      return this.calls()
        .filter((c) => c.args[0] === 'compose' && (c.args[5] === 'stop' || c.args[5] === 'start'))
        .map((c) => [c.args[5], c.args[2], ...c.args.slice(6)].join(' '));
    },
    clearCalls(): void {
      writeFileSync(logFile, '');
    },
  };
}
export type DockerStandin = ReturnType<typeof createDockerStandin>;
