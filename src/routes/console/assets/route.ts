/** The style sheet and the script, under names that change with their content, cached for a year. */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Assets } from '../ui/layout.js';
import { CLIENT_JS } from './client.js';
import { CSS } from './styles.js';

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

export const ASSETS: Assets = {
  css: `/console/assets/console-${hashOf(CSS)}.css`,
  js: `/console/assets/console-${hashOf(CLIENT_JS)}.js`,
};

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  const files = new Map([
    [ASSETS.css.split('/').pop(), { type: 'text/css; charset=utf-8', body: CSS }],
    [ASSETS.js.split('/').pop(), { type: 'text/javascript; charset=utf-8', body: CLIENT_JS }],
  ]);
  app.get('/console/assets/:file', async (request, reply) => {
    const asset = files.get((request.params as { file: string }).file);
    if (!asset) return reply.code(404).type('text/plain').send('not found');
    return reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });
}
