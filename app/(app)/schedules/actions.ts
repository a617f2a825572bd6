'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formatInstanceTime } from '@/components/schedules/schedule-format';
import { getEnv } from '@/lib/core/env';
import { parseGraceMinutes, writeGraceMinutes } from '@/lib/core/schedules/grace-setting';
import { queueScheduleNow } from '@/lib/core/schedules/run-schedule-now';
import { previewCron } from '@/lib/core/schedules/schedule-overview';
import { createSchedule, removeSchedule, setScheduleEnabled, updateSchedule } from '@/lib/core/schedules/schedules';
import { parseTimeZone, writeTimeZone } from '@/lib/core/schedules/time-zone-setting';
import { parseInput } from '@/lib/core/targets/target-input';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { instanceTimeZone } from '@/lib/server/instance-time-zone';
import { requirePageUser } from '@/lib/server/session';

// Arguments of a server action arrive from the browser: checked like any other input.
const scheduleName = z.string().min(1).max(200);

function appsEnv() {
  const { appsDir, dockerBin } = getEnv();
  return { appsDir, dockerBin };
}

export interface CronPreviewResult {
  cron: string;
  description: string;
  preset: string | null;
  timeZone: string;
  nextRuns: { at: string; label: string }[];
}

/** The plain-language reading and next five runs of a cron expression being typed (changes nothing). */
export async function previewCronAction(expression: unknown): Promise<ActionResult<CronPreviewResult>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    const timeZone = await instanceTimeZone(db);
    const preview = previewCron(expression, timeZone);
    return {
      cron: preview.cron,
      description: preview.description,
      preset: preview.preset,
      timeZone,
      nextRuns: preview.nextRuns.map((d) => ({ at: d.toISOString(), label: formatInstanceTime(d, timeZone) })),
    };
  });
}

/** Creates a schedule from the form's fields (checked in lib/core); returns its id for the browser to open. */
export async function createScheduleAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    const schedule = await createSchedule(db, input, { apps: appsEnv() });
    revalidatePath('/schedules');
    return { id: schedule.id };
  });
}

/** Bound to the schedule's current name by the edit page. */
export async function updateScheduleAction(name: string, input: unknown): Promise<ActionResult<{ id: string }>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    const schedule = await updateSchedule(db, parseInput(scheduleName, name, 'name'), input, { apps: appsEnv() });
    revalidatePath('/schedules');
    return { id: schedule.id };
  });
}

export async function setScheduleEnabledAction(name: string, enabled: boolean): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    await setScheduleEnabled(db, parseInput(scheduleName, name, 'name'), parseInput(z.boolean(), enabled, 'enabled'));
    revalidatePath('/schedules', 'layout');
  });
}

export async function removeScheduleAction(name: string): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    await removeSchedule(db, parseInput(scheduleName, name, 'name'));
    revalidatePath('/schedules');
  });
}

/** Backs up now as the schedule (retention included), in the signed-in user's name. */
export async function runScheduleNowAction(name: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction(async () => {
    const user = await requirePageUser();
    const { db } = await getInstance();
    const job = await queueScheduleNow(db, parseInput(scheduleName, name, 'name'), { createdBy: user.username });
    revalidatePath('/schedules', 'layout');
    return { jobId: job.id };
  });
}

const settingsInput = z.object({ timeZone: z.unknown(), graceMinutes: z.unknown() }).strict();

/** The instance time zone and the grace window for missed runs; both are checked before either is stored. */
export async function updateScheduleSettingsAction(input: unknown): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    const { timeZone, graceMinutes } = parseInput(settingsInput, input, 'settings');
    const zone = parseTimeZone(timeZone);
    const minutes = parseGraceMinutes(graceMinutes);
    await writeTimeZone(db, zone);
    await writeGraceMinutes(db, minutes);
    revalidatePath('/schedules', 'layout');
    revalidatePath('/settings');
  });
}
