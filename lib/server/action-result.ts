import 'server-only';
import { isAppError } from '@/lib/core/errors';

/** What a server action returns to its form: data, or a message fit to show the user. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: string;
      code?: string /** Per-field messages (dotted input paths) for forms. */;
      fields?: Record<string, string>;
    };

/** Runs an action body, converting AppErrors into a user-facing result. */
export async function runAction<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.message, code: error.code, fields: error.fields };
    // redirect() and notFound() work by throwing; let them through.
    if (error instanceof Error && 'digest' in error) throw error;
    console.error('unexpected error in server action:', error);
    return { ok: false, error: 'Something went wrong on the server. Check the server log for details.' };
  }
}
