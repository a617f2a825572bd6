import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';

type FieldProps = {
  /** The input's dotted path (`auth.password`): the form field name and the key of its error. */
  name: string;
  label: string;
  hint?: string;
  error?: string;
  /** A textarea instead of an input (private keys). */
  multiline?: boolean;
} & Omit<React.ComponentProps<'input'>, 'name' | 'id'>;

export function fieldId(name: string): string {
  return `target-${name.replace(/\./g, '-')}`;
}

/** A labelled input whose hint and error (the server's message for this field) are tied to it. */
export function TargetField({ name, label, hint, error, multiline, ...props }: FieldProps) {
  const id = fieldId(name);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy };
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {multiline ? (
        <Textarea {...common} {...(props as Omit<React.ComponentProps<'textarea'>, 'name' | 'id'>)} />
      ) : (
        <Input {...common} {...props} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
