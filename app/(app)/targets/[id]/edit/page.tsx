import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/shell/page-header';
import { TargetForm } from '@/components/targets/target-form';
import { isAppError } from '@/lib/core/errors';
import { getTargetView } from '@/lib/core/targets/targets';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Edit target' };

export default async function EditTargetPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const target = await getTargetView(db, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={`Edit “${target.name}”`}
        description="Secrets are not shown: leave a secret empty to keep it. Files already stored stay where they are."
      />
      <TargetForm target={target} />
    </>
  );
}
