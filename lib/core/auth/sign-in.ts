import { z } from 'zod';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { verifyAgainstDummy, verifyPassword } from './password';
import { assertLoginAllowed, recordLoginFailure } from './rate-limit';
import { createSession } from './sessions';

export const signInInputSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(64),
  password: z.string().min(1, 'Enter your password.').max(1024),
});
export type SignInInput = z.infer<typeof signInInputSchema>;

// One message for an unknown user and a wrong password: no user enumeration.
export const INVALID_CREDENTIALS = 'Invalid username or password.';

/** Checks the credentials (rate-limited) and opens a session; returns the cookie token. */
export async function signIn(
  db: Db,
  input: SignInInput,
  ip: string,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const username = input.username.toLowerCase();
  await assertLoginAllowed(db, username, ip, now);
  const user = await db.user.findUnique({ where: { username } });
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    await recordLoginFailure(db, username, ip, now);
    throw new AppError('unauthenticated', INVALID_CREDENTIALS);
  }
  const session = await createSession(db, user.id, now);
  return { ...session, userId: user.id };
}
