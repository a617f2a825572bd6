import type { Db } from '../db/client';
import { AppError } from '../errors';
import { getLicenseStatus, type LicenseOptions, type LicenseView } from './installed-license';
import { FEATURES, type Feature } from './plans';

/** Whether the installed license grants a feature; when not, why, and the plan that would. */
export type FeatureCheck =
  | { licensed: true; license: LicenseView }
  | { licensed: false; feature: Feature; plan: string; message: string };

/** For UIs that explain what a feature needs instead of failing. Never throws for a bad license. */
export async function checkFeature(db: Db, feature: Feature, options: LicenseOptions = {}): Promise<FeatureCheck> {
  const { plan, title } = FEATURES[feature];
  const needs = `${title} needs a ${plan} license (feature “${feature}”).`;
  const denied = (why: string) => ({ licensed: false as const, feature, plan, message: `${needs} ${why}` });
  const status = await getLicenseStatus(db, options);
  switch (status.state) {
    case 'none':
      return denied('No license is installed: add one under Settings → License.');
    case 'invalid':
      return denied(`The installed license is not valid: ${status.message}`);
    case 'expired':
      return denied(`${status.message} Install a renewed license under Settings → License.`);
    case 'valid':
      if (status.license.features.includes(feature)) return { licensed: true, license: status.license };
      return denied(`The installed ${status.license.plan} license does not include it.`);
  }
}

/**
 * Throws `feature_not_licensed` (HTTP 402) with details `{feature, plan}` unless the installed
 * license is valid, unexpired and lists the feature. Returns the license otherwise.
 */
export async function requireFeature(db: Db, feature: Feature, options: LicenseOptions = {}): Promise<LicenseView> {
  const check = await checkFeature(db, feature, options);
  if (check.licensed) return check.license;
  throw new AppError('feature_not_licensed', check.message, { details: { feature: check.feature, plan: check.plan } });
}
