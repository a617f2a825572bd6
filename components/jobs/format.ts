export function formatDateTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function formatJobType(type: string): string {
  return type === 'selftest' ? 'Self-test' : type;
}
