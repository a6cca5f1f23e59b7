/** `2026-01-20T15:00:00Z`: the reference's timestamp format (UTC, whole seconds). */
export function formatTimestamp(value: Date): string {
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
