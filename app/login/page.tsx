import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { LoginForm } from '@/components/auth/login-form';
import { isInstanceInitialized } from '@/lib/core/setup/initialize-instance';
import { getInstance } from '@/lib/server/instance';
import { getSessionUser } from '@/lib/server/session';

export const metadata = { title: 'Sign in' };

export default async function LoginPage() {
  const { db } = await getInstance();
  if (!(await isInstanceInitialized(db))) redirect('/setup');
  if (await getSessionUser()) redirect('/');
  return (
    <AuthCard title="Sign in" description="Sign in with your Cloud OS Backups admin account.">
      <LoginForm />
    </AuthCard>
  );
}
