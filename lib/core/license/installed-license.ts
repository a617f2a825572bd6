import type { KeyObject } from 'node:crypto';
import type { Db } from '../db/client';
import { getEnv } from '../env';
import { AppError, isAppError } from '../errors';
import { deleteSetting, getSetting, putSetting, SettingKey } from '../settings/settings';
import { isExpired, type License, verifyLicenseToken } from './license-token';
import { parseLicensePublicKey, VENDOR_LICENSE_PUBLIC_KEY } from './public-key';

/** A verified license as the UI, the CLI and the API show it (dates as ISO strings). */
export interface LicenseView {
  id: string;
  keyId: string;
  licensee: string;
  plan: string;
  features: string[];
  issuedAt: string;
  expiresAt: string;
}

/** The installed license: none, valid, expired (still shown), or invalid (with the reason). */
export type LicenseStatus =
  | { state: 'none' }
  | { state: 'valid'; license: LicenseView }
  | { state: 'expired'; license: LicenseView; message: string }
  | { state: 'invalid'; message: string };

export interface LicenseOptions {
  now?: Date;
  /** The key licenses must be signed with; by default CLOUDOS_LICENSE_PUBLIC_KEY or the vendor's. */
  publicKey?: KeyObject;
}

export function trustedLicenseKey(): KeyObject {
  return parseLicensePublicKey(getEnv().licensePublicKey ?? VENDOR_LICENSE_PUBLIC_KEY);
}

function toView(license: License): LicenseView {
  return { ...license, issuedAt: license.issuedAt.toISOString(), expiresAt: license.expiresAt.toISOString() };
}

function expiredMessage(license: License): string {
  return `This license expired on ${license.expiresAt.toISOString().slice(0, 10)}.`;
}

/**
 * Verifies a pasted token and stores it, replacing any installed license. A malformed,
 * altered, wrongly signed or expired token throws `invalid_input` and changes nothing.
 */
export async function installLicense(db: Db, token: string, options: LicenseOptions = {}): Promise<LicenseView> {
  const license = verifyLicenseToken(token, options.publicKey ?? trustedLicenseKey());
  if (isExpired(license, options.now)) throw new AppError('invalid_input', `${expiredMessage(license)} Nothing was installed.`);
  await putSetting(db, SettingKey.licenseToken, token.replace(/\s+/g, ''));
  return toView(license);
}

/** Removes the installed license; false when there was none. */
export async function removeLicense(db: Db): Promise<boolean> {
  const had = (await getSetting(db, SettingKey.licenseToken)) !== null;
  await deleteSetting(db, SettingKey.licenseToken);
  return had;
}

/**
 * The installed license, verified again on every read: a license stays trusted only while it
 * verifies against the key in force (a changed key or a hand-edited row shows as invalid).
 */
export async function getLicenseStatus(db: Db, options: LicenseOptions = {}): Promise<LicenseStatus> {
  const token = await getSetting(db, SettingKey.licenseToken);
  if (token === null) return { state: 'none' };
  let license: License;
  try {
    license = verifyLicenseToken(token, options.publicKey ?? trustedLicenseKey());
  } catch (error) {
    if (isAppError(error)) return { state: 'invalid', message: error.message };
    throw error;
  }
  if (isExpired(license, options.now)) return { state: 'expired', license: toView(license), message: expiredMessage(license) };
  return { state: 'valid', license: toView(license) };
}
