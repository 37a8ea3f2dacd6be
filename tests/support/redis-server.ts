// Throwaway redis-server processes for tests. A test must never touch a Redis database it did not
// create (it could hold someone's data), so each run starts its own server on a free loopback
// port with a temporary data dir.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, whenReady, type Child } from './children.js';

export interface StartRedisOptions {
  /** Persist every write to an AOF (`--appendonly yes --appendfsync always`) so data survives kill() + restart(). */
  appendOnly?: boolean;
  /** Data directory. Default: a fresh temp dir that stop() removes. A dir you pass is never removed. */
  dir?: string;
  /** Port to bind on 127.0.0.1. Default: a free one. */
  port?: number;
}

export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Graceful shutdown (SIGTERM), resolves once the process has exited. Removes the temp dir it created. */
  stop(): Promise<void>;
  /** Crash (SIGKILL), resolves once the process has exited. Keeps the dir, so restart() can recover from the AOF. */
  kill(): Promise<void>;
  /** Stop gracefully if running, then start again on the same port and dir. Resolves when it answers PING. */
  restart(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 10_000;

export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisServerHandle> {
  const ownsDir = opts.dir === undefined;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'ayni-redis-')));
  // prettier-ignore
  const args = (port: number): string[] => [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '', // no RDB snapshots
    '--appendonly', opts.appendOnly ? 'yes' : 'no',
    ...(opts.appendOnly ? ['--appendfsync', 'always'] : []),
    '--dir', dir,
    '--daemonize', 'no',
    '--logfile', '', // log to stdout, which we keep for error messages
  ];

  let port = opts.port ?? 0;
  let child: Child | undefined;

  const launch = async (): Promise<void> => {
    await mkdir(dir, { recursive: true }); // stop() may have removed our temp dir
    // A free port found by binding port 0 can be taken by someone else before redis binds it;
    // when we picked the port, try a few more.
    for (let attempt = 1; ; attempt++) {
      const candidate = opts.port ?? (port || (await freePort()));
      try {
        child = await spawnRedis(args(candidate), candidate);
        port = candidate;
        return;
      } catch (err) {
        if (opts.port !== undefined || port !== 0 || attempt >= 5) throw err;
      }
    }
  };

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = undefined;
    await proc?.stop(sig, EXIT_TIMEOUT_MS);
  };

  await launch();
  const handle: RedisServerHandle = {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    async stop() {
      await signal('SIGTERM');
      if (ownsDir) await rm(dir, { recursive: true, force: true });
    },
    async kill() {
      await signal('SIGKILL');
    },
    async restart() {
      await signal('SIGTERM');
      await launch();
    },
  };
  return handle;
}

/** Asks the OS for a free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

export async function spawnRedis(args: string[], port: number): Promise<Child> {
  const child = startChild('redis-server', args, { keep: 4_000 });
  await whenReady(
    child,
    `redis-server on port ${port} to answer PING`,
    () => answersPing(port),
    READY_TIMEOUT_MS,
  );
  return child;
}

/** Sends an inline PING over a raw socket; true on +PONG. No client library, so no retry noise. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // -LOADING while the AOF replays: not ready yet.
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
