import path from 'node:path';
import { z } from 'zod';
import { parseLicensePublicKey } from './license/public-key';

/**
 * The one place that reads process.env. Everything else asks `getEnv()`.
 * Invalid configuration throws a ConfigError whose message is one line naming the variable.
 */
const PORT_MESSAGE = 'must be a whole number from 1 to 65535';

const rawSchema = z.object({
  CLOUDOS_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'must be a SQLite URL of the form file:/path/to/db')
    .optional(),
  CLOUDOS_APPS_DIR: z.string().min(1).optional(),
  CLOUDOS_DOCKER_BIN: z.string().min(1).default('docker'),
  PORT: z.coerce.number({ error: PORT_MESSAGE }).int(PORT_MESSAGE).min(1, PORT_MESSAGE).max(65535, PORT_MESSAGE).default(3000),
  TZ: z
    .string()
    .optional()
    .refine((tz) => tz === undefined || tz === '' || isValidTimeZone(tz), 'is not a known IANA time zone'),
  CLOUDOS_LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' })
    .default('info'),
  CLOUDOS_LICENSE_PUBLIC_KEY: z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      if (text === undefined) return;
      try {
        parseLicensePublicKey(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
});

export interface Env {
  dataDir: string;
  databasePath: string;
  databaseUrl: string;
  appsDir: string;
  dockerBin: string;
  port: number;
  timeZone: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  instanceKeyPath: string;
  /** Replaces the vendor's license public key (tests, or a vendor's staging setup); PEM or raw base64. */
  licensePublicKey: string | undefined;
  nodeEnv: string;
  nextRuntime: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable means "not set", as in most shells' `FOO= cmd` habit.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = rawSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`invalid configuration: ${name} ${issue?.message ?? 'is invalid'}`);
  }
  const raw = parsed.data;
  // turbopackIgnore: these are run-time paths, not files for the bundler to trace.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.CLOUDOS_DATA_DIR);
  const databaseUrl = raw.DATABASE_URL ?? `file:${path.join(dataDir, 'cloudos.db')}`;
  const databasePath = path.resolve(/*turbopackIgnore: true*/ databaseUrl.slice('file:'.length).split('?')[0] ?? '');
  return {
    dataDir,
    databasePath,
    databaseUrl: `file:${databasePath}`,
    appsDir: path.resolve(/*turbopackIgnore: true*/ raw.CLOUDOS_APPS_DIR ?? path.join(dataDir, 'apps')),
    dockerBin: raw.CLOUDOS_DOCKER_BIN,
    port: raw.PORT,
    timeZone: raw.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone,
    logLevel: raw.CLOUDOS_LOG_LEVEL,
    instanceKeyPath: path.join(dataDir, 'instance.key'),
    licensePublicKey: raw.CLOUDOS_LICENSE_PUBLIC_KEY,
    nodeEnv: source.NODE_ENV ?? 'development',
    nextRuntime: source.NEXT_RUNTIME,
  };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and the CLI point the process at another data dir; drop the cached parse. */
export function resetEnvForTests(): void {
  cached = undefined;
}

/**
 * Turns off the AWS SDK's warning, printed once per process under Node < 22, that its releases
 * after January 2027 will need Node 22. Our SDK version is pinned in package.json, so the
 * warning asked every CLI user (eight lines before each S3 command's answer) for an upgrade
 * only we can plan. Set before the first S3 client is made; an explicit setting is kept.
 */
export function quietAwsSdkNodeWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
