/**
 * Times as coordinators read and type them: in the learners' time zone (TZ, America/La_Paz),
 * whatever zone the server or the browser is in.
 */

/** The zone's offset from UTC at `ms`, in minutes (La Paz: -240). */
export function offsetMinutes(tz: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * `2026-03-02T10:00` (what <input type="datetime-local"> sends) read in `tz`, as ISO 8601 with
 * the zone's offset (`2026-03-02T10:00:00-04:00`), or null when it is not such a value.
 */
export function localToIso(local: string, tz: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as number[];
  const guess = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  if (Number.isNaN(guess)) return null;
  // Twice: the offset at the guessed instant, then at the corrected one (near a DST change).
  let offset = offsetMinutes(tz, guess - offsetMinutes(tz, guess) * 60_000);
  offset = offsetMinutes(tz, guess - offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.trim()}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The local date and time in `tz` as <input type="datetime-local"> shows it. */
export function isoToLocal(ms: number, tz: string): string {
  const shifted = new Date(ms + offsetMinutes(tz, ms) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** "2 mar 2026, 10:00" in Spanish, in `tz`. */
export function showTime(iso: string | number | null | undefined, tz: string): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat('es-BO', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

/** "27 dic 2026" in Spanish, in `tz`. */
export function showDate(iso: string | number | null | undefined, tz: string): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat('es-BO', { timeZone: tz, dateStyle: 'medium' }).format(date);
}

export const WEEKDAYS = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
