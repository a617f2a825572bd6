import { NextResponse } from 'next/server';
import { openApiDocument } from '@/lib/server/openapi';

export const dynamic = 'force-static';

/** The API's OpenAPI 3.1 description; public, like the docs it mirrors. */
export function GET(): Response {
  return NextResponse.json(openApiDocument);
}
