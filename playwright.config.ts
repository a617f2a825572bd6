import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { prepareE2eApps } from './e2e/fixtures/backup-apps';
import { prepareRecoveryServer } from './e2e/fixtures/recovery-server';

// One fresh data directory per run. Set here once and inherited by the test workers, which
// re-evaluate this file.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'cloudos-e2e-'));
// A license key pair of this run: the server trusts its public half instead of the vendor's
// key (CLOUDOS_LICENSE_PUBLIC_KEY) and specs sign licenses with its private half
// (e2e/pages/license.ts). Made here, never stored in the repository.
if (!process.env.E2E_LICENSE_PRIVATE_KEY) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  process.env.E2E_LICENSE_PRIVATE_KEY = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
  process.env.E2E_LICENSE_PUBLIC_KEY = String(publicKey.export({ type: 'spki', format: 'pem' }));
}
// Fixture apps and the docker stand-in the server's backups see (no Docker engine runs here).
const appsEnv = prepareE2eApps();
const port = Number(process.env.E2E_PORT ?? 3217);
const baseURL = `http://127.0.0.1:${port}`;
// A second server that is never set up, for disaster-recovery.spec.ts: a new machine brought
// back from a dead server's backups through its setup page.
const recoveryEnv = prepareRecoveryServer();
const recoveryPort = Number(process.env.E2E_RECOVERY_PORT ?? 3218);
const recoveryURL = `http://127.0.0.1:${recoveryPort}`;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  globalTeardown: './e2e/global-teardown.ts',
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '.test-output/e2e.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: no browser download on these machines (DESIGN.md §8).
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  // first-run.spec.ts sets the fresh instance up through its setup page, so it must run
  // before any spec that signs in (files otherwise run in name order: backups < first-run).
  // disaster-recovery.spec.ts runs against the second server, which nothing else touches.
  projects: [
    { name: 'first-run', testMatch: 'first-run.spec.ts' },
    {
      name: 'signed-in',
      testIgnore: ['first-run.spec.ts', 'disaster-recovery.spec.ts'],
      dependencies: ['first-run'],
    },
    { name: 'recovery', testMatch: 'disaster-recovery.spec.ts', use: { baseURL: recoveryURL } },
  ],
  // Started one after the other: the first builds the web app when its sources changed, the
  // second finds the build done.
  webServer: [
    {
      command: 'node scripts/start.mjs',
      url: `${baseURL}/api/healthz`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        CLOUDOS_DATA_DIR: process.env.E2E_DATA_DIR,
        PORT: String(port),
        CLOUDOS_LICENSE_PUBLIC_KEY: process.env.E2E_LICENSE_PUBLIC_KEY ?? '',
        ...appsEnv,
      },
    },
    {
      command: 'node scripts/start.mjs',
      url: `${recoveryURL}/api/healthz`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        PORT: String(recoveryPort),
        CLOUDOS_LICENSE_PUBLIC_KEY: process.env.E2E_LICENSE_PUBLIC_KEY ?? '',
        ...recoveryEnv,
      },
    },
  ],
});
