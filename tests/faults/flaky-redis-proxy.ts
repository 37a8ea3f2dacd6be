// A TCP proxy in front of a real Redis that can make Redis "go away" at one exact command: the
// command a test picks is never forwarded, the client's connection is cut, and for a while no new
// connection gets through. Everything else is passed on byte for byte. Deterministic where a
// stopped redis-server is not: the fault lands between two given commands of a turn.
import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export type Command = string[];

/**
 * `drop`: the command never reaches Redis. `lose-reply`: Redis runs it, the reply never comes
 * back. Either way the connection is cut there and Redis stays away for `downMs`.
 */
export type CutMode = 'drop' | 'lose-reply';

export interface FlakyRedisProxy {
  /** redis://127.0.0.1:<port>, for the code under test */
  readonly url: string;
  /**
   * At the next command for which `match` is true, cut the connection (see CutMode) and keep
   * Redis away for `downMs`. Resolves with the command once Redis is back.
   */
  cutAt(match: (command: Command) => boolean, options: { mode: CutMode; downMs: number }): Promise<Command>;
  /** Calls `listener` with every command clients send, until the returned function is called. */
  observe(listener: (command: Command) => void): () => void;
  close(): Promise<void>;
}

/** The commands in a chunk a client wrote (RESP arrays of bulk strings), or null if it is partial. */
function parseCommands(chunk: Buffer): Command[] | null {
  const text = chunk.toString('latin1');
  const commands: Command[] = [];
  let at = 0;
  const line = (): string | null => {
    const end = text.indexOf('\r\n', at);
    if (end < 0) return null;
    const value = text.slice(at, end);
    at = end + 2;
    return value;
  };
  while (at < text.length) {
    const head = line();
    if (!head?.startsWith('*')) return null;
    const count = Number(head.slice(1));
    const command: Command = [];
    for (let i = 0; i < count; i++) {
      const size = line();
      if (!size?.startsWith('$')) return null;
      const length = Number(size.slice(1));
      if (text.length < at + length + 2) return null;
      command.push(Buffer.from(text.slice(at, at + length), 'latin1').toString('utf8'));
      at += length + 2;
    }
    commands.push(command);
  }
  return commands;
}

export async function startFlakyRedisProxy(upstreamUrl: string): Promise<FlakyRedisProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const listeners = new Set<(command: Command) => void>();
  let downUntil = 0;
  let armed: {
    match: (c: Command) => boolean;
    mode: CutMode;
    downMs: number;
    done: (c: Command) => void;
  } | null = null;

  const server = createServer((client) => {
    if (Date.now() < downUntil) {
      client.destroy();
      return;
    }
    const redis = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
    sockets.add(client);
    sockets.add(redis);
    const closeBoth = () => {
      client.destroy();
      redis.destroy();
      sockets.delete(client);
      sockets.delete(redis);
    };
    /** Cuts this connection now, and keeps Redis away for a while. */
    let cut: (() => void) | null = null;
    client.on('error', closeBoth);
    redis.on('error', closeBoth);
    client.on('close', closeBoth);
    redis.on('close', closeBoth);
    redis.on('data', (chunk: Buffer) => {
      if (cut) cut();
      else client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      const fault = armed;
      const commands = fault || listeners.size ? (parseCommands(chunk) ?? []) : [];
      for (const command of commands) for (const listener of listeners) listener(command);
      const hit = fault ? commands.find((c) => fault.match(c)) : undefined;
      if (!fault || !hit) {
        redis.write(chunk);
        return;
      }
      armed = null;
      cut = () => {
        downUntil = Date.now() + fault.downMs;
        closeBoth();
        setTimeout(() => fault.done(hit), fault.downMs);
      };
      if (fault.mode === 'drop') cut();
      else redis.write(chunk); // the reply, when it comes, is swallowed and the connection cut
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `redis://127.0.0.1:${port}`,
    cutAt(match, { mode, downMs }) {
      return new Promise((resolve) => {
        armed = { match, mode, downMs, done: resolve };
      });
    },
    observe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
