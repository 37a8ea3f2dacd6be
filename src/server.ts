/** Starts Ayni: listen on PORT, and on SIGTERM or SIGINT stop taking requests, finish, close. */
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';

const config = configOrExit();
const app = await buildApp({ config });

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Fastify stops accepting connections and waits for requests in flight before onClose hooks.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  });
}

await app.listen({ port: config.PORT, host: config.HOST });

/** The checked environment; a configuration problem ends the process with its list, not a stack trace. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Ayni cannot start. ${error.message}\n`);
    process.exit(1);
  }
}
