/**
 * Reads a Compose `.env` file: `KEY=value` lines, `#` comments, optional `export `, values in
 * single quotes taken literally, double quotes with \n escapes. Enough for what apps ship;
 * Compose's full grammar (multi-line values) is not needed to find volume paths.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1] as string;
    let value = match[2] as string;
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) value = value.slice(1, -1);
    else if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    else value = value.replace(/\s+#.*$/, '');
    env[key] = value;
  }
  return env;
}

/**
 * Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, and
 * `$$` for a literal dollar. Unknown variables become empty, as Compose does.
 */
export function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, colon: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare) as string;
      const current = env[name];
      if (fallback !== undefined) {
        const missing = colon ? current === undefined || current === '' : current === undefined;
        return missing ? fallback : (current as string);
      }
      return current ?? '';
    },
  );
}
