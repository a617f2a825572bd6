import { X509Certificate } from 'node:crypto';
import { z } from 'zod';

export const CA_CERTIFICATE_MESSAGE = 'Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- …).';
export const CA_NEEDS_HTTPS =
  'A CA certificate only applies to an https:// endpoint (Amazon S3 needs none): use an https:// endpoint, or remove the certificate.';

// A whole bundle (every CA a private PKI has) fits; more is not a certificate.
const MAX_LENGTH = 256 * 1024;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END ([A-Z0-9 ]+)-----/g;

/**
 * True when the text holds one or more PEM certificates that parse, and no other PEM block.
 * Text between blocks (a bundle's comments) is allowed; a pasted private key is not, as this
 * field is stored and shown back in plain text.
 */
export function isPemCertificates(text: string): boolean {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0 || blocks.length !== text.split('-----BEGIN ').length - 1) return false;
  return blocks.every(([block, begin, body, end]) => {
    if (begin !== 'CERTIFICATE' || end !== 'CERTIFICATE' || !/^[A-Za-z0-9+/=\s]+$/.test(body ?? '')) return false;
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  });
}

/** An optional PEM CA certificate (or bundle); empty or whitespace means none. */
export const caCertificate = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? `${v.trim()}\n` : undefined))
  .refine((v) => v === undefined || (v.length <= MAX_LENGTH && isPemCertificates(v)), CA_CERTIFICATE_MESSAGE);

/** Refuses a CA certificate on a target whose endpoint is not https:// (plain HTTP or AWS). */
export function requireHttpsForCa(input: { endpoint?: string; caCertificate?: string }, ctx: z.RefinementCtx): void {
  if (input.caCertificate && !/^https:\/\//i.test(input.endpoint ?? ''))
    ctx.addIssue({ code: 'custom', path: ['caCertificate'], message: CA_NEEDS_HTTPS });
}
