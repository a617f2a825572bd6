import { expect, type Page, test } from '@playwright/test';
import { ADMIN, SetupPage } from './auth-pages';

/** Completes first-run setup when this spec runs on a fresh instance (it may run alone). */
export async function ensureSetUp(page: Page): Promise<void> {
  await page.goto('/login');
  if (/\/setup$/.test(page.url())) await new SetupPage(page).completeWithOwnPassphrase();
  await expect(page).toHaveURL(/\/login$/);
}

/**
 * Signs the page's browser context in through the API. first-run.spec.ts ends by locking
 * sign-in for a minute (its rate-limit test), so a 429 waits out Retry-After.
 */
export async function signIn(page: Page): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const response = await page.request.post('/api/auth/login', { data: ADMIN });
    if (response.status() !== 429) {
      expect(response.status()).toBe(200);
      return;
    }
    await page.waitForTimeout((Number(response.headers()['retry-after']) || 5) * 1000);
  }
  throw new Error('sign-in stayed rate-limited');
}

/**
 * The hooks a signed-in spec starts with: first-run setup once (the spec may run alone),
 * then a signed-in context for every test, which may take `timeoutMs` (sign-in may wait out
 * first-run.spec.ts's one-minute lock).
 */
export function signedInSpec(timeoutMs?: number): void {
  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await ensureSetUp(page);
    await page.close();
  });
  test.beforeEach(async ({ page }) => {
    if (timeoutMs) test.setTimeout(timeoutMs);
    await signIn(page);
  });
}
