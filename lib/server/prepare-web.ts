import { getEnv } from '@/lib/core/env';
import { prepareInstance } from '@/lib/core/instance/prepare-instance';

/** Web start-up: configuration, migrations and instance key, or one line and exit 1. */
export async function prepareWebProcess(): Promise<void> {
  try {
    getEnv();
    await prepareInstance();
  } catch (error) {
    console.error(`web: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
