import { createPrivateKey } from 'node:crypto';
import { issueLicenseToken } from '../../lib/core/license/license-token';
import { PLAN_FEATURES, type Plan } from '../../lib/core/license/plans';

/**
 * Signs a license with this run's key pair (playwright.config.ts), which the e2e server
 * trusts through CLOUDOS_LICENSE_PUBLIC_KEY.
 */
export function issueTestLicense(
  plan: Exclude<Plan, 'Free'>,
  {
    licensee = 'E2E Household',
    days = 400,
    issuedDaysAgo = 1,
  }: { licensee?: string; days?: number; issuedDaysAgo?: number } = {},
): string {
  const pem = process.env.E2E_LICENSE_PRIVATE_KEY;
  if (!pem) throw new Error('E2E_LICENSE_PRIVATE_KEY is not set: run through playwright.config.ts');
  const now = Date.now();
  return issueLicenseToken(createPrivateKey(pem), {
    licensee,
    plan,
    features: [...PLAN_FEATURES[plan]],
    issuedAt: new Date(now - issuedDaysAgo * 86_400_000),
    expiresAt: new Date(now + days * 86_400_000),
  });
}
