import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as backupRoute } from '@/app/api/backups/[id]/route';
import { POST as verifyRoute } from '@/app/api/backups/[id]/verify/route';
import { GET as statusRoute } from '@/app/api/backups/[id]/verify/status/route';
import { GET as healthRoute } from '@/app/api/backups/health/route';
import { GET as listBackupsRoute } from '@/app/api/backups/route';
import { POST as enqueueJobRoute } from '@/app/api/jobs/route';
import { createApiToken, revokeApiToken } from '@/lib/core/api-tokens/api-tokens';
import { createSession, SESSION_COOKIE } from '@/lib/core/auth/sessions';
import type { Db } from '@/lib/core/db/client';
import { resetEnvForTests } from '@/lib/core/env';
import { prepareInstance } from '@/lib/core/instance/prepare-instance';
import { claimNextJob } from '@/lib/core/jobs/claim-job';
import { runClaimedJob } from '@/lib/core/jobs/run-job';
import { installLicense } from '@/lib/core/license/installed-license';
import { issueLicenseToken } from '@/lib/core/license/license-token';
import { putSetting, SettingKey } from '@/lib/core/settings/settings';
import { createDockerStandin } from '@/test/helpers/docker-standin';
import { createFixtureApps } from '@/test/helpers/fixture-apps';
import { runCli } from '@/test/helpers/processes';
import { jobHandlers } from '@/worker/handlers';

// The real route handlers of app/api/backups against a real instance: a real backup made by
// the CLI, verifications run by the worker's own handlers in this process.
const BASE = 'http://127.0.0.1:3000';
let dir: string;
let db: Db;
let backupId: string;
let cookie: string;
let token: string;
const licenseKeys = generateKeyPairSync('ed25519');

const objectFile = () => path.join(dir, 'data', 'backups', 'archives', `${backupId}.cob`);

function proPlusLicense(expiresAt = new Date(Date.now() + 86_400_000)) {
  return issueLicenseToken(licenseKeys.privateKey, {
    licensee: 'API tests',
    plan: 'Pro+',
    features: ['backup_verification'],
    issuedAt: new Date(expiresAt.getTime() - 2 * 86_400_000),
    expiresAt,
  });
}

type Handler<P> = (request: NextRequest, context: { params: Promise<P> }) => Promise<Response>;

async function call<P>(
  handler: Handler<P>,
  url: string,
  params: P,
  init: { method?: string; body?: string; auth?: 'cookie' | 'token' | 'none' | string } = {},
) {
  const headers: Record<string, string> = {};
  const auth = init.auth ?? 'token';
  if (auth === 'cookie') headers.cookie = `${SESSION_COOKIE}=${cookie}`;
  else if (auth === 'token') headers.authorization = `Bearer ${token}`;
  else if (auth !== 'none') headers.authorization = `Bearer ${auth}`;
  const response = await handler(new NextRequest(`${BASE}${url}`, { method: init.method ?? 'GET', headers, body: init.body }), {
    params: Promise.resolve(params),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const verify = (id: string, body?: string, auth?: string) =>
  call(verifyRoute, `/api/backups/${id}/verify`, { id }, { method: 'POST', body, auth });
const status = (id: string, auth?: string) => call(statusRoute, `/api/backups/${id}/verify/status`, { id }, { auth });
const health = (auth?: string) => call(healthRoute, '/api/backups/health', {}, { auth });

/** Runs every queued job here, with the worker's handlers. */
async function runQueuedJobs(): Promise<void> {
  for (;;) {
    const job = await claimNextJob(db, { workerId: 'api-test' });
    if (!job) return;
    await runClaimedJob(db, job, jobHandlers, { workerId: 'api-test' });
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cloudos-backups-api-'));
  const apps = createFixtureApps(dir, { bigFileBytes: 512 * 1024, smallFiles: 40 });
  const docker = createDockerStandin(path.join(dir, 'docker'), apps.dockerState);
  const env = { CLOUDOS_DATA_DIR: path.join(dir, 'data'), CLOUDOS_APPS_DIR: apps.appsDir, TZ: 'UTC', ...docker.env };
  writeFileSync(path.join(dir, 'pw'), 'correct horse battery\n');
  const pw = path.join(dir, 'pw');
  expect((await runCli(['init', '--admin-user', 'admin', '--admin-password-file', pw, '--generate-passphrase'], env)).code).toBe(
    0,
  );
  const backup = await runCli(['backup', '--target', 'Local backups', '--full', '--json'], env);
  expect(backup.code).toBe(0);
  backupId = JSON.parse(backup.stdout).backupId;

  Object.assign(process.env, env, {
    CLOUDOS_LICENSE_PUBLIC_KEY: licenseKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  resetEnvForTests();
  ({ db } = await prepareInstance());
  const admin = await db.user.findFirstOrThrow();
  cookie = (await createSession(db, admin.id)).token;
  token = (await createApiToken(db, { name: 'api test' })).token;
}, 180_000);
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('the backups API', () => {
  it('needs a session or a valid token: 401 otherwise, also for a revoked token', async () => {
    expect((await health('none')).status).toBe(401);
    expect((await verify(backupId, '{}', 'none')).status).toBe(401);
    const revoked = (await createApiToken(db, { name: 'revoked soon' })).token;
    expect((await health(revoked)).status).toBe(200);
    await revokeApiToken(db, 'revoked soon');
    for (const response of [await health(revoked), await verify(backupId, '{}', revoked), await status(backupId, revoked)])
      expect(response).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect((await health('cookie')).status).toBe(200);
  });

  it('answers 402 with the feature and plan without a license, and queues nothing', async () => {
    for (const response of [await verify(backupId, '{"dryRun": true}'), await status(backupId)])
      expect(response).toMatchObject({
        status: 402,
        body: { error: { code: 'feature_not_licensed', feature: 'backup_verification', plan: 'Pro+' } },
      });
    // An expired license is no license.
    await putSetting(db, SettingKey.licenseToken, proPlusLicense(new Date(Date.now() - 60_000)));
    const expired = await verify(backupId, '{}');
    expect(expired).toMatchObject({ status: 402, body: { error: { message: expect.stringContaining('expired') } } });
    expect(await db.job.count({ where: { type: 'verify' } })).toBe(0);
    expect(await db.verification.count()).toBe(0);
  });

  it('refuses a bad body with 400 and an unknown backup with 404, changing nothing', async () => {
    await installLicense(db, proPlusLicense());
    for (const body of ['not json', '{"dryRun": "yes"}', '{"checks": ["everything"]}', '{"dryRun": true, "extra": 1}', '[]'])
      expect(await verify(backupId, body)).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    for (const id of ['0123456789abcdef0123456789abcdef', 'nope', '../etc'])
      expect(await verify(id, '{}')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await status('0123456789abcdef0123456789abcdef')).toMatchObject({ status: 404 });
    expect(await db.job.count({ where: { type: 'verify' } })).toBe(0);
    expect(await status(backupId)).toMatchObject({ status: 200, body: { backupId, state: 'none', checks: [] } });
  });

  it('starts a verification (202), refuses a second while it runs (409), and reports its checks when done', async () => {
    const started = await verify(backupId, '{"dryRun": true}', 'cookie');
    expect(started).toMatchObject({
      status: 202,
      body: { backupId, jobId: expect.any(String), verificationId: expect.any(String) },
    });
    expect(started.headers.get('location')).toBe(`/api/backups/${backupId}/verify/status`);
    expect(await verify(backupId, '')).toMatchObject({ status: 409, body: { error: { code: 'already_verifying' } } });
    expect(await status(backupId)).toMatchObject({
      status: 200,
      body: { id: started.body.verificationId, state: 'queued', dryRun: true, finishedAt: null },
    });

    await runQueuedJobs();
    const done = await status(backupId);
    expect(done.status).toBe(200);
    expect(done.body.state).toMatch(/^(passed|warned)$/);
    expect(done.body.checks.map((c: { name: string }) => c.name).sort()).toEqual(['dry-run', 'integrity', 'size', 'staleness']);
    for (const check of done.body.checks) {
      expect(check.result).not.toBe('fail');
      expect(check.durationMs).toEqual(expect.any(Number));
    }
    expect(done.body.finishedAt).toEqual(expect.any(String));
    const job = await db.job.findUniqueOrThrow({ where: { id: started.body.jobId } });
    expect(job.createdBy).toBe('admin');
  }, 120_000);

  it('reports a backup corrupted on the target by hand as failed integrity', async () => {
    const original = readFileSync(objectFile());
    const damaged = Buffer.from(original);
    const middle = Math.floor(damaged.length / 2);
    damaged[middle] = (damaged[middle] ?? 0) ^ 0x10;
    writeFileSync(objectFile(), damaged);
    try {
      const started = await verify(backupId.slice(0, 10), '{"checks": ["integrity"]}');
      expect(started.status).toBe(202);
      await runQueuedJobs();
      const done = await status(backupId);
      expect(done.body).toMatchObject({
        id: started.body.verificationId,
        state: 'failed',
        checks: [{ name: 'integrity', result: 'fail', message: expect.stringMatching(/corrupted/) }],
      });
      const job = await db.job.findUniqueOrThrow({ where: { id: started.body.jobId } });
      expect([job.status, job.errorCode, job.createdBy]).toEqual(['failed', 'corrupted', 'token:api test']);
    } finally {
      writeFileSync(objectFile(), original);
    }
  }, 120_000);

  it('summarises health with a score and reasons, the failed verification among them', async () => {
    const { status: code, body } = await health();
    expect(code).toBe(200);
    expect(body.score).toBeGreaterThanOrEqual(0);
    expect(body.score).toBeLessThan(100);
    expect(body.lastSuccess.overall).toMatchObject({ backupId });
    expect(body.failedVerifications).toEqual([expect.objectContaining({ backupId })]);
    expect(body.reasons).toContainEqual(expect.objectContaining({ fixPath: `/backups/${backupId}` }));
  });

  it('lists and shows backups; POST /api/jobs goes through the same checks as the UI', async () => {
    const list = await call(listBackupsRoute, '/api/backups?status=succeeded&limit=5', {});
    expect(list).toMatchObject({ status: 200, body: { backups: [expect.objectContaining({ id: backupId })] } });
    expect((await call(listBackupsRoute, '/api/backups?limit=0', {})).status).toBe(400);
    const one = await call(backupRoute, `/api/backups/${backupId}`, { id: backupId });
    expect(one).toMatchObject({ status: 200, body: { backup: { id: backupId, status: 'succeeded' } } });
    // The contents name the entry that carries the sealed secrets; no secret itself appears.
    expect(JSON.stringify(one.body).replaceAll('system/secrets.json', '')).not.toMatch(/secret|password|passphrase|sealed:/i);

    const jobsBefore = await db.job.count();
    const enqueue = (payload: unknown) =>
      call(enqueueJobRoute, '/api/jobs', {}, { method: 'POST', body: JSON.stringify(payload) });
    for (const bad of [
      { type: 'verify', payload: { backupId, checks: ['integrity'] } },
      { type: 'backup', payload: { target: 'no such target', scope: 'full' } },
      { type: 'restore', payload: { backupId, apps: ['not-in-the-backup'] } },
      { type: 'format-disk', payload: {} },
    ])
      expect(await enqueue(bad)).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
    expect(await db.job.count()).toBe(jobsBefore);
    expect(await enqueue({ type: 'verify', payload: { backupId } })).toMatchObject({ status: 202 });
  });
});
