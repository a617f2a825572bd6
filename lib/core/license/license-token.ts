import { createPublicKey, type KeyObject, randomUUID, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors';
import { licenseKeyId } from './public-key';

/**
 * A license token (docs/LICENSE.md): `coblic1.<payload>.<signature>`, both parts base64url
 * without padding. payload = the JSON below; signature = Ed25519 over the ASCII bytes of
 * `coblic1.<payload>`, so the format version is signed too.
 */
export const LICENSE_PREFIX = 'coblic1';
const MAX_TOKEN_LENGTH = 8192;
const B64URL = /^[A-Za-z0-9_-]+$/;

const isoDate = z.iso.datetime({ offset: true });

export const licensePayloadSchema = z
  .object({
    id: z.string().min(1).max(100),
    kid: z.string().regex(/^[0-9a-f]{16}$/),
    licensee: z.string().trim().min(1).max(200),
    plan: z.string().trim().min(1).max(40),
    features: z
      .array(z.string().regex(/^[a-z0-9_]{1,64}$/))
      .max(50)
      .refine((list) => new Set(list).size === list.length, 'features must not repeat'),
    issuedAt: isoDate,
    expiresAt: isoDate,
  })
  .refine((p) => Date.parse(p.expiresAt) > Date.parse(p.issuedAt), 'expiresAt must be after issuedAt');

export type LicensePayload = z.infer<typeof licensePayloadSchema>;

/** What a verified license says. Unknown features are kept: a newer license may name more. */
export interface License {
  id: string;
  keyId: string;
  licensee: string;
  plan: string;
  features: string[];
  issuedAt: Date;
  expiresAt: Date;
}

export interface LicenseRequest {
  licensee: string;
  plan: string;
  features: string[];
  expiresAt: Date;
  issuedAt?: Date;
  id?: string;
}

/** Signs a license with the vendor's private key (scripts/issue-license.ts and tests). */
export function issueLicenseToken(privateKey: KeyObject, request: LicenseRequest): string {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new AppError('invalid_input', 'The signing key must be an Ed25519 private key.');
  const candidate = {
    id: request.id ?? randomUUID(),
    kid: licenseKeyId(createPublicKey(privateKey)),
    licensee: request.licensee,
    plan: request.plan,
    features: request.features,
    issuedAt: (request.issuedAt ?? new Date()).toISOString(),
    expiresAt: request.expiresAt.toISOString(),
  };
  const parsed = licensePayloadSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid_input', `Cannot issue this license: ${issue?.path.join('.') || 'license'} ${issue?.message}.`);
  }
  const signed = `${LICENSE_PREFIX}.${Buffer.from(JSON.stringify(parsed.data)).toString('base64url')}`;
  return `${signed}.${sign(null, Buffer.from(signed, 'ascii'), privateKey).toString('base64url')}`;
}

function invalid(message: string): AppError {
  return new AppError('invalid_input', message);
}

/** Line breaks and spaces from e-mail wrapping or copying are not part of a token. */
export function normalizeLicenseToken(text: string): string {
  return text.replace(/\s+/g, '');
}

function readPayload(part: string): LicensePayload | null {
  try {
    const parsed = licensePayloadSchema.safeParse(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function checkShape(token: string): [string, string] {
  if (!token) throw invalid('Paste a license: the text is empty.');
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('This is not a Cloud OS Backups license: it is far too long.');
  if (token.startsWith('cob_')) throw invalid('This is an API token, not a license. A license starts with “coblic1.”.');
  const version = /^coblic(\d+)\./.exec(token)?.[1];
  if (version !== undefined && version !== '1')
    throw invalid(
      `This license has format version ${version}, which this version of Cloud OS Backups cannot read. Update Cloud OS Backups first.`,
    );
  if (!token.startsWith(`${LICENSE_PREFIX}.`))
    throw invalid('This is not a Cloud OS Backups license: a license starts with “coblic1.”.');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p)))
    throw invalid('The license is incomplete or damaged: copy it again, all of it, exactly as you received it.');
  return [parts[1] as string, parts[2] as string];
}

/**
 * Verifies a token against the trusted public key, offline. Throws `invalid_input` with a
 * message fit for the user when it is malformed, signed with another key or altered; an
 * expired license verifies (the caller decides what expiry means; see `isExpired`).
 */
export function verifyLicenseToken(text: string, trustedKey: KeyObject): License {
  const token = normalizeLicenseToken(text);
  const [payloadPart, signaturePart] = checkShape(token);
  const signature = Buffer.from(signaturePart, 'base64url');
  const signed = Buffer.from(`${LICENSE_PREFIX}.${payloadPart}`, 'ascii');
  const trustedId = licenseKeyId(trustedKey);
  const payload = readPayload(payloadPart);
  if (signature.length !== 64 || !verify(null, signed, trustedKey, signature)) {
    if (payload && payload.kid !== trustedId)
      throw invalid(
        `This license was signed with another key (key id ${payload.kid}) than the one this installation trusts (key id ${trustedId}). ` +
          'It was issued for another product or a test setup; ask the vendor for a license for this one.',
      );
    throw invalid(
      'The license signature does not match its contents: it was changed after it was issued. Paste it again exactly as you received it.',
    );
  }
  if (!payload)
    throw invalid('The license is signed but its contents are not readable by this version. Ask the vendor for a new license.');
  return {
    id: payload.id,
    keyId: payload.kid,
    licensee: payload.licensee,
    plan: payload.plan,
    features: payload.features,
    issuedAt: new Date(payload.issuedAt),
    expiresAt: new Date(payload.expiresAt),
  };
}

export function isExpired(license: License, now = new Date()): boolean {
  return license.expiresAt.getTime() <= now.getTime();
}
