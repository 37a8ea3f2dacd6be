/** Reading what forms send: fields that may come once or several times, and phone numbers as typed. */

/** A form field that may come once or several times (checkboxes), as an array. */
export function many(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function one(value: unknown): string {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

/** One field of a parsed form body. */
export function field(body: unknown, name: string): string {
  return one((body as Record<string, unknown> | undefined)?.[name]);
}

/** What people type: spaces, dashes, a leading 00, or a Bolivian mobile without +591. */
export function normalizePhone(input: string): string | null {
  let phone = input.replace(/[\s\-().]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  if (/^[67]\d{7}$/.test(phone)) phone = `+591${phone}`;
  return /^\+[1-9]\d{6,14}$/.test(phone) ? phone : null;
}
