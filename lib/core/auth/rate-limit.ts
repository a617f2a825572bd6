import type { Db } from '../db/client';
import { AppError } from '../errors';

export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_WINDOW_MS = 60_000;

/**
 * Refuses a sign-in attempt when the username or the client address already has
 * LOGIN_FAILURE_LIMIT failures within the last minute. Checked before the password is, so a
 * locked-out guesser learns nothing from further tries.
 */
export async function assertLoginAllowed(db: Db, username: string, ip: string, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  for (const where of [{ username }, { ip }]) {
    const recent = await db.loginFailure.findMany({
      where: { ...where, createdAt: { gt: since } },
      orderBy: { createdAt: 'desc' },
      take: LOGIN_FAILURE_LIMIT,
      select: { createdAt: true },
    });
    if (recent.length >= LOGIN_FAILURE_LIMIT) {
      const oldest = recent[recent.length - 1]?.createdAt ?? now;
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest.getTime() + LOGIN_WINDOW_MS - now.getTime()) / 1000));
      throw new AppError('rate_limited', `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`, {
        retryAfterSeconds,
      });
    }
  }
}

export async function recordLoginFailure(db: Db, username: string, ip: string, now = new Date()): Promise<void> {
  await db.loginFailure.create({ data: { username, ip, createdAt: now } });
  // Old rows carry no information any more; prune as we go instead of running a job for it.
  await db.loginFailure.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - LOGIN_WINDOW_MS * 10) } } });
}
