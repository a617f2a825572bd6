import { NextResponse } from 'next/server';
import { getInstanceHealth } from '@/lib/core/health/get-instance-health';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

/** Liveness for monitors: no session needed, no secrets in the answer. */
export async function GET(): Promise<Response> {
  try {
    const { db } = await getInstance();
    const health = await getInstanceHealth(db);
    return NextResponse.json(health, { status: health.db === 'ok' ? 200 : 503 });
  } catch (error) {
    console.error('healthz: database not usable:', error);
    return NextResponse.json({ status: 'error', db: 'error', worker: { lastHeartbeatAgeSeconds: null } }, { status: 503 });
  }
}
