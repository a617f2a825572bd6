import type { Db } from '../db/client';
import { AppError } from '../errors';
import { enqueueJob } from '../jobs/enqueue-job';
import type { JobView } from '../jobs/job-types';
import { previousRunActive } from './scheduler';
import { findSchedule } from './schedules';

/**
 * Queues a backup as the schedule would (its scope, target and scheduleId, so its retention
 * follows). Its key starts like the scheduler's, so while it runs the schedule's own fires are
 * skipped — and it refuses while the schedule's previous run is still going.
 */
export async function queueScheduleNow(db: Db, name: string, { now = new Date(), createdBy = 'user' } = {}): Promise<JobView> {
  const schedule = await findSchedule(db, name);
  const key = `schedule:${schedule.id}:now:${now.toISOString()}`;
  if (await previousRunActive(db, schedule.id, key))
    throw new AppError('conflict', `A run of the schedule "${name}" is still queued or running; wait for it to finish.`);
  const payload = {
    target: schedule.target.name,
    scope: schedule.scope,
    apps: JSON.parse(schedule.apps),
    scheduleId: schedule.id,
  };
  return enqueueJob(db, 'backup', payload, { uniqueKey: key, createdBy });
}
