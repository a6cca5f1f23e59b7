/** `2026-01-20T15:00:00Z`: the reference's timestamp format (UTC, whole seconds). */
export function formatTimestamp(value: Date): string {
  // toISOString is always `YYYY-MM-DDTHH:mm:ss.sssZ` for the years PostgreSQL's timestamptz and this API use.
  return `${value.toISOString().slice(0, 19)}Z`;
}

export function formatOptionalTimestamp(value: Date | null): string | null {
  return value ? formatTimestamp(value) : null;
}
