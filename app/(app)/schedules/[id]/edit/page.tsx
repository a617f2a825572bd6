import { notFound } from 'next/navigation';
import { ScheduleForm } from '@/components/schedules/schedule-form';
import { PageHeader } from '@/components/shell/page-header';
import { getEnv } from '@/lib/core/env';
import { isAppError } from '@/lib/core/errors';
import { getScheduleView, scheduleFormChoices } from '@/lib/core/schedules/schedule-overview';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';
import { previewCronAction } from '../../actions';

export const metadata = { title: 'Edit schedule' };

export default async function EditSchedulePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const schedule = await getScheduleView(db, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
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
