// A front for a fake Twilio with one door (one port) per app process, so a test can tell which
// process sends what and hold the sends of one of them: the next N message creations through a
// door are held open, either before the fake sees them (never created) or after (created, the
// answer never comes back). Everything else is passed through to the fake unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocal, readBody, Relay, type HoldWhen, type LocalServer } from '../support/local-http.js';

export interface TwilioDoors {
  /** TWILIO_API_URL for the process that uses this door (opened on first use) */
  open(door: string): Promise<string>;
  /** Holds the next `count` message creations that come through `door`. */
  holdNext(door: string, count: number, when: HoldWhen): void;
  /** requests held now, per door */
  held(door: string): number;
  /** message creations that went through each door (held ones included) */
  created(door: string): number;
  close(): Promise<void>;
}

const CREATE = /^\/2010-04-01\/Accounts\/AC[0-9a-fA-F]{32}\/Messages\.json$/;

export function twilioDoors(targetUrl: string): TwilioDoors {
  const relay = new Relay(targetUrl);
  const servers = new Map<string, LocalServer>();
  const holds = new Map<string, HoldWhen[]>();
  const heldCount = new Map<string, number>();
  const createdCount = new Map<string, number>();

  const handler = (door: string) => async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const creating = req.method === 'POST' && CREATE.test(new URL(req.url ?? '/', 'http://x').pathname);
    if (creating) createdCount.set(door, (createdCount.get(door) ?? 0) + 1);
    const hold = creating ? holds.get(door)?.shift() : undefined;
    await relay.pass(req, res, body, hold);
    if (hold) heldCount.set(door, (heldCount.get(door) ?? 0) + 1);
  };

  return {
    async open(door) {
      const existing = servers.get(door);
      if (existing) return existing.url;
      const server = await listenLocal(handler(door), 502);
      servers.set(door, server);
      return server.url;
    },
    holdNext(door, count, when) {
      holds.set(door, [...(holds.get(door) ?? []), ...Array.from({ length: count }, () => when)]);
    },
    held: (door) => heldCount.get(door) ?? 0,
    created: (door) => createdCount.get(door) ?? 0,
    async close() {
      relay.releaseAll();
      await Promise.all([...servers.values()].map((server) => server.close()));
    },
  };
}
