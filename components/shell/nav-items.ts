import { Archive, Boxes, Calendar, HardDrive, LayoutDashboard, ListChecks, Settings } from 'lucide-react';

export const NAV_ITEMS = [
  { href: '/', label: 'Dashboard', icon: LayoutDashboard },
  { href: '/backups', label: 'Backups', icon: Archive },
  { href: '/apps', label: 'Apps', icon: Boxes },
  { href: '/targets', label: 'Targets', icon: HardDrive },
  { href: '/schedules', label: 'Schedules', icon: Calendar },
  { href: '/jobs', label: 'Jobs', icon: ListChecks },
  { href: '/settings', label: 'Settings', icon: Settings },
] as const;

export function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
