'use client';
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { cn } from './cn';

/**
 * A modal on the native <dialog>: the browser gives focus trapping, Escape to close and the
 * inert background, so no extra dependency is needed.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  className,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className={cn(
        'm-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border bg-card p-5 text-foreground shadow-lg backdrop:bg-black/50',
        className,
      )}
    >
      <h2 id={titleId} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {open && children}
    </dialog>
  );
}
