// A client that trickles its request, a byte at a time, is cut off once REQUEST_TIMEOUT_SECONDS
// have gone by, instead of holding a connection (and its memory) for minutes. Over a real socket:
// each test waits for the server to close it, never for a fixed time.
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { testApp } from './helpers.js';

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let port = 0;

beforeAll(async () => {
  app = await testApp(url, prefix, {
    env: { REQUEST_TIMEOUT_SECONDS: '1', KEEP_ALIVE_TIMEOUT_SECONDS: '1' },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as net.AddressInfo).port;
});
afterAll(() => app.close());

interface Trickle {
  /** what the server sent before it closed */
  received: string;
  /** bytes this client had written when the server closed */
  written: number;
}

/**
 * Connects, writes `head`, then one byte of `drip` every 100 ms (again and again) until the server
 * closes the connection; resolves then, with what the server said.
 */
function trickle(head: string, drip: string): Promise<Trickle> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let written = 0;
    let dripped = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      written += head.length;
      timer = setInterval(() => {
        if (socket.writable) {
          socket.write(drip[dripped++ % drip.length]!);
          written += 1;
        }
      }, 100);
    });
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {}); // a reset is a close too
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, written });
    });
    socket.setTimeout(20_000, () => reject(new Error('the server kept a trickling connection open')));
  });
}

describe('a client that trickles', () => {
  it('its headers is cut off', async () => {
    const result = await trickle('GET /healthz HTTP/1.1\r\nHost: ayni.test\r\n', 'X-Slow: aaaaaaaaaaaa\r\n');
    expect(result.received, result.received).toMatch(/^$|^HTTP\/1\.1 408/);
  }, 30_000);

  it('its body is cut off', async () => {
    const head =
      'POST /twilio/messages HTTP/1.1\r\nHost: ayni.test\r\n' +
      'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20000\r\n\r\n';
    const result = await trickle(head, 'Body=a');
    expect(result.written).toBeLessThan(head.length + 1000);
    expect(result.received, result.received).toMatch(/^$|^HTTP\/1\.1 408/);
  }, 30_000);

  it('that sends nothing at all is cut off', async () => {
    const closed = await new Promise<boolean>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => resolve(true));
      socket.setTimeout(20_000, () => reject(new Error('the server kept an idle connection open')));
    });
    expect(closed).toBe(true);
  }, 30_000);
});

describe('the limits come from the configuration', () => {
  it('sets the request, connection and keep-alive timeouts on the server', () => {
    expect(app.server.requestTimeout).toBe(1000);
    expect(app.server.headersTimeout).toBe(1000);
    expect(app.server.timeout).toBe(1000);
    expect(app.server.keepAliveTimeout).toBe(1000);
  });

  it('still answers a request that arrives in time', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
  });
});
