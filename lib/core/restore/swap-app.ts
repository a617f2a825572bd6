import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { COMPOSE_FILE_NAMES } from '../apps/inventory';
import type { ComposeProject, DockerRuntime } from '../runtime/docker-runtime';
import type { PlannedAppRestore } from './plan-restore';
import type { RestoreJournal } from './restore-journal';

type Log = (message: string, level?: 'info' | 'warn' | 'error') => Promise<void>;

export interface SwapHooks {
  /** Called before each step; throwing stops the swap there (tests use it to fail on purpose). */
  beforeStep?: (appId: string, step: string) => Promise<void> | void;
}

const exists = async (p: string) => (await lstat(p).catch(() => null)) !== null;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Puts one app's staged data in place: stops its running containers, moves each current
 * volume aside (`<path>.before-restore-<id>`) and renames the staged one in, does the same
 * for the compose file and .env, and starts the containers that were running. Renames only,
 * on the same filesystem, so every step is atomic. On any failure the steps done so far are
 * undone in reverse order (the old data renamed back) and the stopped containers started;
 * the error is rethrown. The moved-aside data is deleted only after the whole swap succeeded.
 * Each step is written to the journal before it is taken, for recovery after a crash.
 */
export async function swapApp(
  plan: PlannedAppRestore,
  context: {
    runtime: DockerRuntime;
    restoreId: string;
    log: Log;
    journal?: RestoreJournal;
    hooks?: SwapHooks;
    /** The step the progress page shows: stopping, swapping, starting. */
    onPhase?: (phase: string) => void;
  },
): Promise<void> {
  const { runtime, restoreId, log, journal } = context;
  const phase = (name: string) => context.onPhase?.(name);
  const step = async (name: string) => context.hooks?.beforeStep?.(plan.id, name);
  const undo: { what: string; run: () => Promise<void> }[] = [];
  const aside: string[] = [];
  let stopped: { project: ComposeProject; services: string[] } | null = null;

  const replace = async (live: string, staged: string | null) => {
    const moved = `${live}.before-restore-${restoreId}`;
    await mkdir(path.dirname(live), { recursive: true });
    if (await exists(live)) {
      await journal?.step(plan.id, { kind: 'aside', live, aside: moved });
      await rename(live, moved);
      aside.push(moved);
      undo.push({ what: `put ${live} back`, run: () => rename(moved, live) });
    }
    if (staged) {
      await journal?.step(plan.id, { kind: 'in', live, staged });
      await rename(staged, live);
      undo.push({ what: `take the restored ${live} out`, run: () => rm(live, { recursive: true, force: true }) });
    }
  };

  try {
    await step('stop');
    if (plan.current && !plan.current.error) {
      const services = [...new Set((await runtime.containers(plan.current)).filter((c) => c.running).map((c) => c.service))];
      if (services.length > 0) {
        stopped = { project: plan.current, services };
        const { project, composeFile, dir } = plan.current;
        await journal?.step(plan.id, { kind: 'stop', project: { project, composeFile, dir }, services });
        phase(`Stopping ${plan.id}`);
        await log(`Stopping ${plan.id} (${services.join(', ')}) to replace its data.`);
        await runtime.stop(plan.current, services);
      }
    }
    phase(`Swapping ${plan.id}`);
    for (const volume of plan.volumes) {
      await step(`volume ${volume.name}`);
      await replace(volume.hostPath, volume.staged);
    }
    await step('compose');
    for (const name of [...COMPOSE_FILE_NAMES, '.env'])
      await replace(
        path.join(plan.appDir, name),
        plan.composeFiles.includes(name) ? path.join(plan.stagingDir, 'compose', name) : null,
      );
    await step('start');
    if (stopped) {
      const composeName = plan.composeFiles.find((n) => n !== '.env') ?? path.basename(stopped.project.composeFile);
      phase(`Starting ${plan.id}`);
      await log(`Starting ${plan.id} again (${stopped.services.join(', ')}).`);
      await runtime.start({ ...stopped.project, composeFile: path.join(plan.appDir, composeName) }, stopped.services);
    }
  } catch (error) {
    await log(`Restoring ${plan.id} failed (${message(error)}); putting its old data back.`, 'error');
    for (const { what, run } of undo.reverse())
      await run().catch((undoError: unknown) => log(`Could not ${what}: ${message(undoError)}`, 'error'));
    if (stopped) {
      await runtime
        .start(stopped.project, stopped.services)
        .then(() => log(`Started ${plan.id} again with its old data (${stopped?.services.join(', ')}).`))
        .catch((startError: unknown) =>
          log(`Could not start ${plan.id} again: ${message(startError)}. Start it by hand.`, 'error'),
        );
    }
    await journal?.setState(plan.id, 'rolled-back').catch(() => {});
    throw error;
  }
  await journal?.setState(plan.id, 'swapped');
  for (const moved of aside) await rm(moved, { recursive: true, force: true });
}
