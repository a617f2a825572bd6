'use client';
import { Menu, ShieldCheck, X } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { type ReactNode, useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { isActive, NAV_ITEMS } from './nav-items';
import { ThemeToggle } from './theme-toggle';

/** Sidebar on wide screens; a top bar with a disclosure menu on phones. `banner` tops every page. */
export function AppShell({
  username,
  signOut,
  banner,
  children,
}: {
  username: string;
  signOut: ReactNode;
  banner?: ReactNode;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu after navigating
  useEffect(() => setMenuOpen(false), [pathname]);

  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_1fr]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-card focus:p-2">
        Skip to content
      </a>
      <header className="flex items-center justify-between border-b px-4 py-3 md:hidden">
        <span className="flex items-center gap-2 font-semibold">
          <ShieldCheck className="size-5 text-primary" /> Cloud OS Backups
        </span>
        <Button
          variant="ghost"
          size="icon"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          aria-label={menuOpen ? 'Close menu' : 'Open menu'}
          onClick={() => setMenuOpen((o) => !o)}
        >
          {menuOpen ? <X /> : <Menu />}
        </Button>
      </header>
      <aside
        id="sidebar"
        className={cn(
          'flex-col gap-4 border-r bg-card p-4 md:sticky md:top-0 md:flex md:h-dvh md:overflow-y-auto',
          menuOpen ? 'flex' : 'hidden',
        )}
      >
        <div className="hidden items-center gap-2 px-2 font-semibold md:flex">
          <ShieldCheck className="size-5 text-primary" /> Cloud OS Backups
        </div>
        <nav aria-label="Main">
          <ul className="flex flex-col gap-1">
            {NAV_ITEMS.map(({ href, label, icon: Icon }) => {
              const active = isActive(pathname, href);
              return (
                <li key={href}>
                  <Link
                    href={href}
                    aria-current={active ? 'page' : undefined}
                    className={cn(
                      'flex items-center gap-3 rounded-md px-3 py-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                      active ? 'bg-primary/10 font-medium text-primary' : 'hover:bg-muted',
                    )}
                  >
                    <Icon className="size-4" aria-hidden /> {label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="mt-auto flex flex-col gap-2 border-t pt-3">
          <div className="flex items-center justify-between px-2 text-sm text-muted-foreground">
            <span>
              Signed in as <strong className="text-foreground">{username}</strong>
            </span>
            <ThemeToggle />
          </div>
          {signOut}
        </div>
      </aside>
      <main id="main" className="mx-auto w-full max-w-5xl p-4 md:p-8">
        {banner}
        {children}
      </main>
    </div>
  );
}
