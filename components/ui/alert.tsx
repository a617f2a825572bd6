import type * as React from 'react';
import { cn } from './cn';

export function Alert({
  className,
  tone = 'info',
  ...props
}: React.ComponentProps<'div'> & { tone?: 'info' | 'warning' | 'danger' }) {
  const tones = {
    info: 'border-primary/30 bg-primary/5',
    warning: 'border-warning/50 bg-warning/10',
    danger: 'border-destructive/40 bg-destructive/10 text-destructive',
  };
  return (
    <div
      role={tone === 'danger' ? 'alert' : 'status'}
      className={cn('rounded-md border p-3 text-sm', tones[tone], className)}
      {...props}
    />
  );
}
