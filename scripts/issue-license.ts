// The vendor's side of licensing (docs/LICENSE.md "Issuing"): make a signing key pair, and
// sign licenses with its private key. The private key never goes into the repository
// (.gitignore keeps *private*.pem and .license-keys/ out); the product ships only the public key.
//
//   npm run license -- keygen --out DIR
//   npm run license -- issue --key DIR/license-private.pem --licensee "Jane Doe" --plan Pro+ \
//       [--features backup_verification,priority_support] (--expires 2027-12-31 | --days 365) [--out FILE]
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../lib/core/errors';
import { issueLicenseToken } from '../lib/core/license/license-token';
import { FEATURES, isKnownFeature, isPlan, PLAN_FEATURES, PLANS } from '../lib/core/license/plans';
import { licenseKeyId, rawPublicKey } from '../lib/core/license/public-key';

const USAGE = `Usage: issue-license keygen --out DIR
       issue-license issue --key PRIVATE.pem --licensee NAME --plan (${PLANS.filter((p) => p !== 'Free').join(' | ')}) [--features a,b] (--expires YYYY-MM-DD | --days N) [--out FILE]
  keygen writes DIR/license-private.pem (mode 0600; keep it secret, never commit it) and
  DIR/license-public.pem, and prints the public key as PEM and as raw base64 (either form works
  for CLOUDOS_LICENSE_PUBLIC_KEY). issue prints the license token (or writes it to FILE).
  --features defaults to the plan's features; known: ${Object.keys(FEATURES).join(', ')}.
  --expires YYYY-MM-DD: valid through that day (UTC); an ISO date-time is taken as is.`;

class UsageError extends Error {}

function describeKey(publicKey: KeyObject): string {
  return [
    `key id: ${licenseKeyId(publicKey)}`,
    `raw (base64): ${rawPublicKey(publicKey).toString('base64')}`,
    String(publicKey.export({ type: 'spki', format: 'pem' })).trimEnd(),
  ].join('\n');
}

function keygen(out: string | undefined): void {
  if (!out) throw new UsageError('--out DIR is required');
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const privatePath = path.join(out, 'license-private.pem');
  for (const name of ['license-private.pem', 'license-public.pem'])
    if (existsSync(path.join(out, name))) throw new UsageError(`${path.join(out, name)} exists: keygen never replaces a key`);
  // wx: never overwrite a signing key that licenses in the field depend on.
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(privatePath, 0o600);
  writeFileSync(path.join(out, 'license-public.pem'), publicKey.export({ type: 'spki', format: 'pem' }), { flag: 'wx' });
  process.stderr.write(`wrote ${privatePath} (secret) and ${path.join(out, 'license-public.pem')}\n`);
  process.stdout.write(`${describeKey(publicKey)}\n`);
}

function parseExpiry(expires: string | undefined, days: string | undefined, now: Date): Date {
  if ((expires === undefined) === (days === undefined)) throw new UsageError('give exactly one of --expires or --days');
  if (days !== undefined) {
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1) throw new UsageError('--days must be a whole number of at least 1');
    return new Date(now.getTime() + n * 86_400_000);
  }
  const value = expires as string;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : value);
  if (Number.isNaN(date.getTime())) throw new UsageError('--expires must be a date (YYYY-MM-DD) or an ISO date-time');
  if (date.getTime() <= now.getTime()) throw new UsageError('--expires must be in the future');
  return date;
}

function readPrivateKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read the private key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${file} is not an Ed25519 private key`);
  return key;
}

function issue(values: Record<string, string | undefined>): void {
  if (!values.key) throw new UsageError('--key PRIVATE.pem is required');
  if (!values.licensee) throw new UsageError('--licensee is required');
  const plan = values.plan ?? '';
  if (!isPlan(plan) || plan === 'Free')
    throw new UsageError(`--plan must be one of ${PLANS.filter((p) => p !== 'Free').join(', ')} (Free needs no license)`);
  const features =
    values.features === undefined
      ? [...PLAN_FEATURES[plan]]
      : values.features
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  const unknown = features.filter((f) => !isKnownFeature(f));
  if (unknown.length > 0)
    throw new UsageError(`unknown feature ${unknown.join(', ')} (known: ${Object.keys(FEATURES).join(', ')})`);
  const now = new Date();
  const expiresAt = parseExpiry(values.expires, values.days, now);
  const privateKey = readPrivateKey(values.key);
  const token = issueLicenseToken(privateKey, { licensee: values.licensee, plan, features, issuedAt: now, expiresAt });
  if (values.out) {
    writeFileSync(values.out, `${token}\n`, { flag: 'wx' });
    process.stderr.write(`wrote the license to ${values.out} (key id ${licenseKeyId(createPublicKey(privateKey))})\n`);
  } else process.stdout.write(`${token}\n`);
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        out: { type: 'string' },
        key: { type: 'string' },
        licensee: { type: 'string' },
        plan: { type: 'string' },
        features: { type: 'string' },
        expires: { type: 'string' },
        days: { type: 'string' },
      },
    });
    if (command === 'keygen') keygen(values.out);
    else if (command === 'issue') issue(values);
    else throw new UsageError(command ? `unknown command "${command}"` : 'missing command (keygen or issue)');
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    const message = isAppError(error) || usage ? (error as Error).message : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`issue-license: ${message}\n${usage ? `${USAGE}\n` : ''}`);
    return usage ? 2 : 1;
  }
}

process.exitCode = main(process.argv.slice(2));
