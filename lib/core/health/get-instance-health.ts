import type { Db } from '../db/client';

export interface InstanceHealth {
  status: 'ok' | 'degraded' | 'error';
  db: 'ok' | 'error';
  worker: { lastHeartbeatAgeSeconds: number | null };
}

/** A worker that has not beaten for this long is considered down. */
export const WORKER_STALE_SECONDS = 30;

export async function getInstanceHealth(db: Db, now = new Date()): Promise<InstanceHealth> {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch {
    return { status: 'error', db: 'error', worker: { lastHeartbeatAgeSeconds: null } };
  }
  const latest = await db.workerHeartbeat.findFirst({ orderBy: { heartbeatAt: 'desc' } });
  const age = latest ? Math.max(0, Math.round((now.getTime() - latest.heartbeatAt.getTime()) / 1000)) : null;
  const workerOk = age !== null && age <= WORKER_STALE_SECONDS;
  return { status: workerOk ? 'ok' : 'degraded', db: 'ok', worker: { lastHeartbeatAgeSeconds: age } };
}
