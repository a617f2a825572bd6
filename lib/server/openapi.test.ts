import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GET } from '@/app/api/openapi.json/route';
import { openApiDocument } from './openapi';

const API_DIR = path.resolve(import.meta.dirname, '..', '..', 'app', 'api');

/** Every route handler under app/api as "METHOD /api/path/{param}". */
function routeHandlers(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const route = `/api/${path.relative(API_DIR, dir)}`.replace(/\[(\w+)\]/g, '{$1}');
        const source = readFileSync(full, 'utf8');
        for (const [, method] of source.matchAll(/export (?:const|(?:async )?function) (GET|POST|PUT|PATCH|DELETE)\b/g))
          found.push(`${method} ${route}`);
      }
    }
  };
  walk(API_DIR);
  return found.sort();
}

describe('/api/openapi.json', () => {
  it('describes exactly the routes the app serves', () => {
    const documented = Object.entries(openApiDocument.paths)
      .flatMap(([route, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`))
      .sort();
    expect(documented).toEqual(routeHandlers());
  });

  it('is served as JSON', async () => {
    const response = GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ openapi: '3.1.0', paths: expect.any(Object) });
  });
});
