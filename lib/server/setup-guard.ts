import 'server-only';
import { AppError } from '@/lib/core/errors';
import { isInstanceInitialized } from '@/lib/core/setup/initialize-instance';
import { getInstance } from './instance';

/**
 * The "authentication" of the setup page's actions: nobody is signed in on a fresh instance,
 * so they are open only while the instance is not set up. Once it is, they would let anyone
 * make this server connect wherever they like.
 */
export async function requireFreshInstance(): Promise<void> {
  const { db } = await getInstance();
  if (await isInstanceInitialized(db)) throw new AppError('conflict', 'This instance is already set up. Sign in instead.');
}
