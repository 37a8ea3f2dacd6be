/**
 * GET /: a small page for whoever opens Ayni's address: what Ayni is, and links to the console
 * and its bot simulator, the health checks and, when this app serves them, the API docs. In
 * local mode it also says how to sign in and why webhooks are refused.
 */
import type { FastifyInstance } from 'fastify';
import { isLocalMode } from '../config.js';

export async function homeRoute(app: FastifyInstance): Promise<void> {
  const local = isLocalMode(app.config);
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    // Asked when the page is served, after every route is registered: /docs may be turned off.
    const docs = app.hasRoute({ method: 'GET', url: '/docs' });
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; base-uri 'none'; form-action 'none'")
      .send(homePage({ local, docs }));
  });
}

function homePage({ local, docs }: { local: boolean; docs: boolean }): string {
  const localNote = local
    ? `<p><strong>Local mode.</strong> This server has no Twilio settings, so it refuses every webhook
and sends nothing. Sign in to the console with the one-time link printed when it started, then
try the bot in the simulator.</p>`
    : '';
  const docsItem = docs ? '\n<li><a href="/docs">API docs</a>: the admin API (OpenAPI)</li>' : '';
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ayni</title>
<h1>Ayni</h1>
<p>Ayni is a text-message school for cooperatives. Informal and rural workers in Bolivia text it on
WhatsApp or SMS and learn the cooperative business model in short lessons, quizzes and a
feasibility check, in Spanish, Aymara or Quechua. Learners write to its Twilio number; there is
nothing for them to open here.</p>
${localNote}
<ul>
<li><a href="/console">The coordinator console</a>: groups, progress, reminders</li>
<li><a href="/console/try">Try the bot</a>: the console's simulator, a chat with the real engine</li>
<li><a href="/healthz">Health check</a> and <a href="/readyz">readiness</a> (Redis answers)</li>${docsItem}
</ul>
</html>
`;
}
