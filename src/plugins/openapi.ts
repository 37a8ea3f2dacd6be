/**
 * OpenAPI from every route's JSON schema, served at /docs. Registered before the routes, so that
 * it sees each of them as it is added.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Ayni admin API', version: '0.1.0' },
        components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
        security: [{ admin: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'openapi' },
);
