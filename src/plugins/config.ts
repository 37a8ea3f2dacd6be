/**
 * The checked configuration (`app.config`) and the clock (`app.clock`), decorated once for every
 * plugin and route to read, rather than passed to each of them option by option.
 */
import fp from 'fastify-plugin';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the environment, checked by loadConfig */
    config: Config;
    /** now, in ms since the epoch; tests pass a clock they control */
    clock: () => number;
  }
}

export interface ConfigPluginOptions {
  config: Config;
  clock?: () => number;
}

export default fp<ConfigPluginOptions>(
  async (app, { config, clock }) => {
    app.decorate('config', config);
    app.decorate('clock', clock ?? Date.now);
  },
  { name: 'config' },
);
