import { ScheduleForm } from '@/components/schedules/schedule-form';
import { PageHeader } from '@/components/shell/page-header';
import { getEnv } from '@/lib/core/env';
import { scheduleFormChoices } from '@/lib/core/schedules/schedule-overview';
import { getInstance } from '@/lib/server/instance';
import { scheduleViewOrNotFound } from '@/lib/server/schedule-or-not-found';
import { requirePageUser } from '@/lib/server/session';
import { previewCronAction } from '../../actions';

export const metadata = { title: 'Edit schedule' };

export default async function EditSchedulePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const schedule = await scheduleViewOrNotFound(db, id);
  const choices = await scheduleFormChoices(db, getEnv());
  const preview = await previewCronAction(schedule.cron);
  return (
    <>
      <PageHeader
        title={`Edit “${schedule.name}”`}
        description="A new time applies from now on: times the old one did not run are not counted as missed."
      />
      <ScheduleForm choices={choices} schedule={schedule} initialPreview={preview.ok ? preview.data : null} />
    </>
  );
}
