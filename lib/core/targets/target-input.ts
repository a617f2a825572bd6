import path from 'node:path';
import { type ZodType, z } from 'zod';
import { AppError } from '../errors';
import { caCertificate, requireHttpsForCa } from './ca-certificate';

const name = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'The name must be 1–64 characters: letters, digits, space, ".", "_" or "-".');

const KEEP_LAST = 'Keep last must be a whole number of backups from 1 to 10000.';
const keepLast = z.number({ error: KEEP_LAST }).int(KEEP_LAST).min(1, KEEP_LAST).max(10_000, KEEP_LAST).optional();

const PORT = 'The port must be a whole number from 1 to 65535.';
const port = z.number({ error: PORT }).int(PORT).min(1, PORT).max(65535, PORT).optional();

const PRIVATE_KEY = 'Paste the whole private key, from -----BEGIN to -----END.';
const privateKey = z.string().includes('PRIVATE KEY', { message: PRIVATE_KEY });

export const localTargetInput = z.object({
  kind: z.literal('local'),
  name,
  path: z
    .string()
    .trim()
    .refine((p) => path.isAbsolute(p), 'The directory must be an absolute path, like /mnt/backups.'),
  keepLast,
});

// Kept unrefined so the edit schema can extend it; both add the endpoint check below.
const s3Fields = z.object({
  kind: z.literal('s3'),
  name,
  endpoint: z
    .string()
    .trim()
    .refine(
      (e) => e === '' || /^https?:\/\/[^\s/]+/.test(e),
      'The endpoint must be a URL like https://s3.example.com, or empty for AWS.',
    )
    .optional(),
  region: z.string().trim().min(1, 'Enter the region (for MinIO and Ceph, us-east-1 usually works).'),
  bucket: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'A bucket name has 3–63 lowercase letters, digits, "." or "-".'),
  accessKeyId: z.string().trim().min(1, 'Enter the access key id.'),
  secretAccessKey: z.string().min(1, 'Enter the secret access key.'),
  prefix: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._/-]*$/, 'The folder may hold letters, digits, ".", "_", "-" and "/".')
    .optional(),
  /** Public, so kept in config and shown back: the CA of a self-hosted HTTPS endpoint. */
  caCertificate,
  keepLast,
});

export const s3TargetInput = s3Fields.superRefine(requireHttpsForCa);

export const sftpTargetInput = z.object({
  kind: z.literal('sftp'),
  name,
  host: z.string().trim().min(1, 'Enter the SFTP server host name or address.'),
  port,
  username: z.string().trim().min(1, 'Enter the SFTP user name.'),
  auth: z.discriminatedUnion('method', [
    z.object({ method: z.literal('password'), password: z.string().min(1, 'Enter the password.') }),
    z.object({ method: z.literal('key'), privateKey, passphrase: z.string().optional() }),
  ]),
  remotePath: z.string().trim().startsWith('/', 'The remote path must be absolute, like /home/backup/cloudos.'),
  keepLast,
});

/** What creating a target takes: one form per kind. */
export const targetInput = z.discriminatedUnion('kind', [localTargetInput, s3TargetInput, sftpTargetInput]);
export type TargetInput = z.infer<typeof targetInput>;
export type TargetKind = TargetInput['kind'];

// An empty secret on an edit means "keep the stored one": forms never receive secrets, so
// they cannot send the current value back.
const keptSecret = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

/**
 * What editing a target takes: the same fields and rules as creating one, but secrets may be
 * left out to keep the stored ones. A new private key is checked like on creation.
 */
export const targetEditInput = z.discriminatedUnion('kind', [
  localTargetInput,
  // The form pre-fills the CA certificate, so an empty one really means "remove it".
  s3Fields.extend({ secretAccessKey: keptSecret }).superRefine(requireHttpsForCa),
  sftpTargetInput.extend({
    auth: z.discriminatedUnion('method', [
      z.object({ method: z.literal('password'), password: keptSecret }),
      z.object({
        method: z.literal('key'),
        privateKey: keptSecret.refine((k) => k === undefined || k.includes('PRIVATE KEY'), PRIVATE_KEY),
        passphrase: keptSecret,
      }),
    ]),
  }),
]);
export type TargetEditInput = z.infer<typeof targetEditInput>;

/**
 * Parses input, or throws invalid_input carrying the first problem as the message and one
 * message per field (dotted path) so a form can show each beside its field.
 */
export function parseInput<T>(schema: ZodType<T>, raw: unknown, what = 'target'): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  throw new AppError('invalid_input', parsed.error.issues[0]?.message ?? `Invalid ${what}.`, { fields });
}

/** Splits an input into what may be shown (config) and what must be sealed (secrets). */
export function splitSecrets(input: TargetInput): { config: Record<string, unknown>; secrets: Record<string, string> | null } {
  switch (input.kind) {
    case 'local': {
      const { name: _n, kind: _k, keepLast: _l, ...config } = input;
      return { config, secrets: null };
    }
    case 's3': {
      const { name: _n, kind: _k, keepLast: _l, secretAccessKey, ...config } = input;
      return { config, secrets: { secretAccessKey } };
    }
    case 'sftp': {
      const { name: _n, kind: _k, keepLast: _l, auth, ...rest } = input;
      const secrets: Record<string, string> =
        auth.method === 'password'
          ? { password: auth.password }
          : { privateKey: auth.privateKey, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) };
      return { config: { ...rest, authMethod: auth.method }, secrets };
    }
  }
}
