import { parse } from 'yaml';
import { interpolate } from './env-file';

export interface ComposeService {
  name: string;
  image: string | null;
}

/** A mount as a service declares it: a host path (bind) or a named volume. */
export interface ComposeMount {
  service: string;
  type: 'bind' | 'volume';
  /** The host path as written (interpolated), or the volume's key in the compose file. */
  source: string;
  target: string;
}

export interface ComposeModel {
  /** The project name, when the file sets `name:`. */
  name: string | null;
  services: ComposeService[];
  mounts: ComposeMount[];
  /** Named volumes by key: the Docker volume name when set (`name:`) and whether it is external. */
  volumes: Record<string, { name: string | null; external: boolean }>;
}

type Yaml = Record<string, unknown>;

function isObject(value: unknown): value is Yaml {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `./data:/var/lib/data:ro` → source, target. Windows drive letters do not occur here. */
function parseShortMount(spec: string): { source: string; target: string } | null {
  const parts = spec.split(':');
  if (parts.length < 2) return null; // an anonymous volume: nothing on the host to back up
  return { source: parts[0] as string, target: parts[1] as string };
}

function looksLikePath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
}

/**
 * Parses a Compose file for what a backup needs: services, their bind mounts and named
 * volumes. Throws an Error with the parser's message when the file is not a Compose file.
 */
export function parseComposeFile(text: string, env: Record<string, string>): ComposeModel {
  const doc: unknown = parse(text, { prettyErrors: true, maxAliasCount: 100 });
  if (!isObject(doc)) throw new Error('the file is empty or not a YAML mapping');
  if (!isObject(doc.services)) throw new Error('it has no "services" section');
  const services: ComposeService[] = [];
  const mounts: ComposeMount[] = [];
  for (const [name, raw] of Object.entries(doc.services)) {
    const service = isObject(raw) ? raw : {};
    services.push({ name, image: typeof service.image === 'string' ? interpolate(service.image, env) : null });
    const declared = Array.isArray(service.volumes) ? service.volumes : [];
    for (const entry of declared) {
      if (typeof entry === 'string') {
        const parsed = parseShortMount(interpolate(entry, env));
        if (!parsed) continue;
        mounts.push({ service: name, type: looksLikePath(parsed.source) ? 'bind' : 'volume', ...parsed });
      } else if (isObject(entry) && typeof entry.source === 'string' && (entry.type === 'bind' || entry.type === 'volume')) {
        mounts.push({
          service: name,
          type: entry.type,
          source: interpolate(entry.source, env),
          target: typeof entry.target === 'string' ? entry.target : '',
        });
      }
    }
  }
  const volumes: ComposeModel['volumes'] = {};
  if (isObject(doc.volumes)) {
    for (const [key, raw] of Object.entries(doc.volumes)) {
      const volume = isObject(raw) ? raw : {};
      const external = volume.external === true || isObject(volume.external);
      const explicitName =
        typeof volume.name === 'string'
          ? interpolate(volume.name, env)
          : isObject(volume.external) && typeof volume.external.name === 'string'
            ? volume.external.name
            : null;
      volumes[key] = { name: explicitName, external };
    }
  }
  return { name: typeof doc.name === 'string' ? interpolate(doc.name, env) : null, services, mounts, volumes };
}
