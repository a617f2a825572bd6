import { PageHeader } from '@/components/shell/page-header';
import { TargetForm } from '@/components/targets/target-form';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Add target' };

export default async function NewTargetPage() {
  await requirePageUser();
  return (
    <>
      <PageHeader title="Add target" description="Choose where backups are stored. Test the target once it is added." />
      <TargetForm />
    </>
  );
}
