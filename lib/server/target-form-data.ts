/**
 * Turns a target form's fields into the input lib/core validates. Field names are the input's
 * dotted paths (`auth.password`), the same paths the core's field errors use, so each error
 * finds its field. Numbers stay numbers only when they parse; anything else reaches zod as
 * NaN and gets the field's own message. Nothing is validated here: the core is the truth.
 */
export function targetFormToInput(form: FormData): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string' || key.startsWith('$')) continue;
    const path = key.split('.');
    let node = input;
    for (const part of path.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1) as string] = NUMBER_FIELDS.has(key) ? toNumber(value) : value;
  }
  return input;
}

const NUMBER_FIELDS = new Set(['port', 'keepLast']);

function toNumber(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value.trim());
}
