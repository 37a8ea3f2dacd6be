// A front for a fake Twilio with one door (one port) per app process, so a test can tell which
// process sends what and hold the sends of one of them: the next N message creations through a
// door are held open, either before the fake sees them (never created) or after (created, the
// answer never comes back). Everything else is passed through to the fake unchanged.
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type HoldWhen = 'before' | 'after';

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
  const target = new URL(targetUrl);
  const servers = new Map<string, { server: Server; url: string }>();
  const holds = new Map<string, HoldWhen[]>();
  const heldCount = new Map<string, number>();
  const createdCount = new Map<string, number>();
  const heldResponses = new Set<ServerResponse>();

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
      const out = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              type: String(res.headers['content-type'] ?? 'application/json'),
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handler = (door: string) => async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const creating = req.method === 'POST' && CREATE.test(new URL(req.url ?? '/', 'http://x').pathname);
    if (creating) createdCount.set(door, (createdCount.get(door) ?? 0) + 1);
    const hold = creating ? holds.get(door)?.shift() : undefined;
    if (hold === 'after') await forward(req, body);
    if (hold) {
      heldCount.set(door, (heldCount.get(door) ?? 0) + 1);
      heldResponses.add(res);
      res.on('close', () => heldResponses.delete(res));
      return; // never answered
    }
    const answer = await forward(req, body);
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  };

  return {
    async open(door) {
      const existing = servers.get(door);
      if (existing) return existing.url;
      const server = createServer((req, res) => {
        handler(door)(req, res).catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(err));
        });
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      servers.set(door, { server, url });
      return url;
    },
    holdNext(door, count, when) {
      holds.set(door, [...(holds.get(door) ?? []), ...Array.from({ length: count }, () => when)]);
    },
    held: (door) => heldCount.get(door) ?? 0,
    created: (door) => createdCount.get(door) ?? 0,
    async close() {
      for (const res of heldResponses) res.destroy();
      await Promise.all(
        [...servers.values()].map(
          ({ server }) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
