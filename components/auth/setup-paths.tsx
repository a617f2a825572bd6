import { ArchiveRestore, Sparkles } from 'lucide-react';
import Link from 'next/link';
import { cn } from '@/components/ui/cn';

export type SetupPath = 'new' | 'restore';

const PATHS = [
  { path: 'new', href: '/setup', label: 'Set up a new server', icon: Sparkles },
  { path: 'restore', href: '/setup?from=backups', label: 'Restore from backups', icon: ArchiveRestore },
] as const;

/** The setup page's two ways in: a new server, or one brought back from its backups. */
export function SetupPaths({ current }: { current: SetupPath }) {
  return (
    <nav aria-label="How to set up" className="mb-5 grid grid-cols-2 gap-1 rounded-lg bg-muted p-1">
      {PATHS.map(({ path, href, label, icon: Icon }) => (
        <Link
          key={path}
          href={href}
          replace
          scroll={false}
          aria-current={current === path ? 'page' : undefined}
          className={cn(
            'flex items-center justify-center gap-2 rounded-md px-2 py-2 text-center text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
            current === path ? 'bg-card shadow-sm' : 'text-muted-foreground hover:text-foreground',
          )}
        >
          <Icon className="size-4 shrink-0" aria-hidden /> {label}
        </Link>
      ))}
    </nav>
  );
}
