/**
 * The course content as a Fastify decoration (`app.content`): the one given (tests share one), or
 * built from FLOWS_DIR and LOCALES_DIR, refusing to start on content with problems.
 */
import fp from 'fastify-plugin';
import { buildContentRuntime, type ContentRuntime } from './content-runtime.js';

declare module 'fastify' {
  interface FastifyInstance {
    content: ContentRuntime;
  }
}

export default fp<{ runtime?: ContentRuntime | undefined }>(
  async (app, { runtime }) => {
    const { FLOWS_DIR, LOCALES_DIR } = app.config;
    app.decorate('content', runtime ?? buildContentRuntime({ flowsDir: FLOWS_DIR, localesDir: LOCALES_DIR }));
  },
  { name: 'content', dependencies: ['config'] },
);
