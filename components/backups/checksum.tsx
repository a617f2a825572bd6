'use client';
import { Copy } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';

/** A SHA-256 shown short (the full value on hover), with a button that copies the full value. */
export function Checksum({ sha256, full = false }: { sha256: string | null; full?: boolean }) {
  if (!sha256) return <span className="text-muted-foreground">—</span>;
  async function copy() {
    try {
      await navigator.clipboard.writeText(sha256 as string);
      toast.success('Checksum copied.');
    } catch {
      toast.error('The browser did not allow copying; select the checksum instead.');
    }
  }
  return (
    <span className="inline-flex items-center gap-1">
      <code className={full ? 'break-all text-xs' : 'text-xs'} title={sha256} data-sha256={sha256}>
        {full ? sha256 : sha256.slice(0, 12)}
      </code>
      <Button type="button" variant="ghost" size="icon" className="size-7" aria-label="Copy checksum" onClick={copy}>
        <Copy />
      </Button>
    </span>
  );
}
