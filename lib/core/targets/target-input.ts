import path from 'node:path';
import { z } from 'zod';

const name = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'The name must be 1–64 characters: letters, digits, space, ".", "_" or "-".');

const keepLast = z.number().int().min(1, 'Keep at least 1 backup.').max(10_000).optional();

export const localTargetInput = z.object({
  kind: z.literal('local'),
  name,
  path: z
    .string()
    .trim()
    .refine((p) => path.isAbsolute(p), 'The directory must be an absolute path, like /mnt/backups.'),
  keepLast,
});

export const s3TargetInput = z.object({
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
  keepLast,
});

export const sftpTargetInput = z.object({
  kind: z.literal('sftp'),
  name,
  host: z.string().trim().min(1, 'Enter the SFTP server host name or address.'),
  port: z.number().int().min(1).max(65535).optional(),
  username: z.string().trim().min(1, 'Enter the SFTP user name.'),
  auth: z.discriminatedUnion('method', [
    z.object({ method: z.literal('password'), password: z.string().min(1, 'Enter the password.') }),
    z.object({
      method: z.literal('key'),
      privateKey: z.string().includes('PRIVATE KEY', { message: 'Paste the whole private key, from -----BEGIN to -----END.' }),
      passphrase: z.string().optional(),
    }),
  ]),
  remotePath: z.string().trim().startsWith('/', 'The remote path must be absolute, like /home/backup/cloudos.'),
  keepLast,
});

/** What creating a target takes: one form per kind (issue 4's fields). */
export const targetInput = z.discriminatedUnion('kind', [localTargetInput, s3TargetInput, sftpTargetInput]);
export type TargetInput = z.infer<typeof targetInput>;
export type TargetKind = TargetInput['kind'];

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
