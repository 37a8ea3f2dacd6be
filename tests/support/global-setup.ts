// vitest globalSetup: one Redis for the whole run, handed to test files as inject('redisUrl').
// If REDIS_URL is set, that server is used instead (tests then only touch keys under their own
// prefix, see test-redis.ts); otherwise a throwaway redis-server is started and stopped here.
import type { TestProject } from 'vitest/node';
import { startRedis, type RedisServerHandle } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: RedisServerHandle | undefined;
  let url = process.env.REDIS_URL;
  if (!url) {
    server = await startRedis();
    url = server.url;
  }
  project.provide('redisUrl', url);
  return async () => {
    await server?.stop();
  };
}
