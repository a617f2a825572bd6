/** Formats one server-sent event. Data is JSON on one line, so no line splitting is needed. */
export function formatSseEvent(event: string, data: unknown, id?: number | string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // Tell nginx-style reverse proxies not to buffer the stream.
  'X-Accel-Buffering': 'no',
} as const;
