// The HTTP plumbing of the local stand-ins for Twilio (fake-twilio.ts and the fronts put before
// it): a server on a free loopback port, a request's body, and a relay that passes requests on
// to another server unchanged, or holds one open to play a send still in flight.
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Closes the server, and every connection still open (clients keep theirs alive). */
  close(): Promise<void>;
}

/**
 * Serves `handle` on a free loopback port. A handler that throws answers `errorStatus` with the
 * error as text (so a test sees what went wrong in the stand-in rather than a hanging request).
 */
export async function listenLocal(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  errorStatus = 500,
): Promise<LocalServer> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(errorStatus, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** 'before': the target never sees the request; 'after': the target handles it, the answer never comes back. */
export type HoldWhen = 'before' | 'after';

/** Passes requests on to `targetUrl` and answers with what it answered. */
export class Relay {
  private readonly target: URL;
  private readonly held = new Set<ServerResponse>();

  constructor(targetUrl: string) {
    this.target = new URL(targetUrl);
  }

  /** Relays one request whose body was read already; with `hold`, leaves the request open instead of answering. */
  async pass(req: IncomingMessage, res: ServerResponse, body: Buffer, hold?: HoldWhen): Promise<void> {
    if (hold === 'after') await this.forward(req, body);
    if (hold) {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    const answer = await this.forward(req, body);
    res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
    res.end(answer.body);
  }

  /** Ends every request held open. */
  releaseAll(): void {
    for (const res of this.held) res.destroy();
  }

  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }
}
