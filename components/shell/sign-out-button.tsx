import { LogOut } from 'lucide-react';
import { signOutAction } from '@/app/(app)/actions';
import { Button } from '@/components/ui/button';

export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <Button type="submit" variant="ghost" size="sm" className="w-full justify-start">
        <LogOut /> Sign out
      </Button>
    </form>
  );
}
