import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest, NextResponse } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as enqueueJobRoute, GET as listJobsRoute } from '@/app/api/jobs/route';
import { createApiToken, revokeApiToken } from '@/lib/core/api-tokens/api-tokens';
import { createSession, SESSION_COOKIE } from '@/lib/core/auth/sessions';
import type { Db } from '@/lib/core/db/client';
import { resetEnvForTests } from '@/lib/core/env';
import { prepareInstance } from '@/lib/core/instance/prepare-instance';
import { authedRoute } from './api-route';

// The real route handlers of app/api/jobs against a real instance in a temporary data dir:
// what Next would call, minus the HTTP server.
const dir = mkdtempSync(path.join(tmpdir(), 'cloudos-api-route-'));
let db: Db;
let sessionToken: string;
const BASE = 'http://127.0.0.1:3000';

beforeAll(async () => {
  process.env.CLOUDOS_DATA_DIR = dir;
  resetEnvForTests();
  ({ db } = await prepareInstance());
  const user = await db.user.create({ data: { id: randomUUID(), username: 'admin', passwordHash: 'not used here' } });
  sessionToken = (await createSession(db, user.id)).token;
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const noParams = { params: Promise.resolve({}) };

function get(headers: Record<string, string> = {}) {
  return listJobsRoute(new NextRequest(`${BASE}/api/jobs`, { headers }), noParams);
}

async function errorOf(response: Response) {
  return { status: response.status, body: await response.json(), challenge: response.headers.get('www-authenticate') };
}

const unauthenticated = (message: string) => ({
  status: 401,
  body: { error: { code: 'unauthenticated', message } },
  challenge: 'Bearer realm="cloudos-backup"',
});

describe('API routes', () => {
  it('accept a session cookie or a bearer API token, and nothing else', async () => {
    expect((await get({ cookie: `${SESSION_COOKIE}=${sessionToken}` })).status).toBe(200);
    const { token } = await createApiToken(db, { name: 'route test' });
    const withToken = await get({ authorization: `Bearer ${token}` });
    expect(withToken.status).toBe(200);
    expect(await withToken.json()).toEqual({ jobs: expect.any(Array) });
    expect((await get({ authorization: `bearer   ${token}` })).status).toBe(200);

    expect(await errorOf(await get())).toEqual(
      unauthenticated('Sign in first, or send an API token: this request needs a session or a token.'),
    );
    expect(await errorOf(await get({ cookie: `${SESSION_COOKIE}=forged` }))).toMatchObject({ status: 401 });
    expect(await errorOf(await get({ authorization: 'Basic YWRtaW46cHc=' }))).toEqual(
      unauthenticated('Send an API token as “Authorization: Bearer cob_…”; no other scheme is accepted.'),
    );
    expect(await errorOf(await get({ authorization: `Bearer cob_${'x'.repeat(43)}` }))).toEqual(
      unauthenticated('The API token is not valid: it is unknown or was revoked.'),
    );
  });

  it('refuse a revoked token at once, even with a valid session cookie beside it', async () => {
    const { token } = await createApiToken(db, { name: 'to revoke' });
    expect((await get({ authorization: `Bearer ${token}` })).status).toBe(200);
    await revokeApiToken(db, 'to revoke');
    expect(await errorOf(await get({ authorization: `Bearer ${token}` }))).toEqual(
      unauthenticated('The API token is not valid: it is unknown or was revoked.'),
    );
    const both = await get({ authorization: `Bearer ${token}`, cookie: `${SESSION_COOKIE}=${sessionToken}` });
    expect(both.status).toBe(401);
  });

  it('record what a token queued as token:<name>, and update its last use', async () => {
    const { token, view } = await createApiToken(db, { name: 'nightly' });
    const response = await enqueueJobRoute(
      new NextRequest(`${BASE}/api/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'selftest', payload: { steps: 1, stepMs: 0 } }),
      }),
      noParams,
    );
    expect(response.status).toBe(202);
    const { job } = await response.json();
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).createdBy).toBe('token:nightly');
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: view.id } })).lastUsedAt).not.toBeNull();
  });

  it('still refuse a cross-site POST, token or not', async () => {
    const { token } = await createApiToken(db, { name: 'cross-site' });
    const response = await enqueueJobRoute(
      new NextRequest(`${BASE}/api/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example', host: '127.0.0.1:3000' },
        body: '{"type":"selftest"}',
      }),
      noParams,
    );
    expect(response.status).toBe(403);
  });

  it('can demand a session: a sessionOnly route refuses tokens', async () => {
    const route = authedRoute(async ({ auth }) => NextResponse.json({ via: auth.via, actor: auth.actor }), { sessionOnly: true });
    const { token } = await createApiToken(db, { name: 'session only' });
    const call = (headers: Record<string, string>) => route(new NextRequest(`${BASE}/api/x`, { headers }), noParams);
    expect(await errorOf(await call({ authorization: `Bearer ${token}` }))).toEqual(
      unauthenticated('This request needs a signed-in session: API tokens are not accepted here.'),
    );
    const ok = await call({ cookie: `${SESSION_COOKIE}=${sessionToken}` });
    expect(await ok.json()).toEqual({ via: 'session', actor: 'admin' });
  });
});
