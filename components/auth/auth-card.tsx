import { ShieldCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';

export function AuthCard({
  title,
  description,
  wide = false,
  children,
}: {
  title: string;
  description: string;
  /** Room for a longer form (a target's fields). */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <Card className={cn('w-full', wide ? 'max-w-lg' : 'max-w-md')}>
        <CardHeader>
          <div className="mb-2 flex items-center gap-2 font-semibold">
            <ShieldCheck className="size-5 text-primary" aria-hidden /> Cloud OS Backups
          </div>
          <h1 className="text-xl font-semibold leading-tight">{title}</h1>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
    </main>
  );
}
