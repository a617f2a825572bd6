import { notFound } from 'next/navigation';
import type { Db } from '@/lib/core/db/client';
import { isAppError } from '@/lib/core/errors';
import { getScheduleView } from '@/lib/core/schedules/schedule-overview';

/** The schedule a page shows, or Next's 404 page when there is no schedule with that id. */
export function scheduleViewOrNotFound(db: Db, id: string) {
  return getScheduleView(db, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
}
