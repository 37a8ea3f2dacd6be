// Several Ayni processes on one Redis, for the tests that kill one of them: the admin API, the
// messages the fake Twilio received per recipient.
import { postJson, type AppProcess } from '../support/app-server.js';
import type { FakeMessage } from '../support/fake-twilio.js';

export const ADMIN_TOKEN = 'fault-admin-token-of-32-characters';

/** Calls the admin API of one process; resolves with the status and the JSON answer. */
export function api<T = unknown>(app: AppProcess, path: string, body: unknown) {
  return postJson<T>(app, path, body, ADMIN_TOKEN);
}

/** The bodies the fake Twilio created for one recipient (`to` exactly as Twilio writes it), in order. */
export function bodiesTo(messages: readonly FakeMessage[], to: string): string[] {
  return messages.filter((m) => m.to === to).map((m) => m.body);
}

/** Bodies that arrived more than once, with their counts: [] when every body came exactly once. */
export function repeated(bodies: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const body of bodies) counts.set(body, (counts.get(body) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1);
}
