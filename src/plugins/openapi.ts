/**
 * The OpenAPI document, built from every route's JSON schema, when API_DOCS is on (it is off by
 * default: the document maps the admin API for whoever reads it). Registered before the routes,
 * so that it sees each of them as it is added; routes/docs.ts serves it, to the administrator.
 */
import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    if (!app.config.API_DOCS) return;
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Ayni admin API', version: '0.1.0' },
        components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
        security: [{ admin: [] }],
      },
    });
  },
  { name: 'openapi', dependencies: ['config'] },
);
