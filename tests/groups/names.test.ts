// Every door a name comes in by cleans it the same way (src/reading/names.ts): a group's name by
// SMS (GRUPO), by the admin API and by the console's form; a coordinator's by the admin API and
// by the console. Bidirectional overrides and isolates, zero-width and control characters never
// reach a store, and a very long name is cut (SMS, console) or refused (API).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAME_MAX } from '../../src/reading/names.js';
import { ADMIN_TOKEN, consoleApp, ConsoleClient } from '../console/helpers.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { useTestRedis } from '../support/test-redis.js';

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Everything a name must not carry, around the words "Feria Central". */
const HOSTILE = '\u202EFeria\u2066\u200B Cen\u0000tral\u2069\u200D\uFEFF\u0007\uE000\r\n';
const CLEAN = 'Feria Central';

beforeAll(async () => {
  app = await consoleApp(url, prefix, null);
});
afterAll(() => app.close());

const post = (path: string, payload: object) =>
  app.inject({ method: 'POST', url: path, headers: auth, payload });

describe('a group name', () => {
  it('by SMS (GRUPO) is cleaned, and cut to NAME_MAX characters', async () => {
    const phone = '+59171300001';
    await app.coordinators.register(phone, 'Rosa');
    const coordinator = new Learner(phone, injectTransport(app));
    await coordinator.sendAll('Hola', '1');
    const reply = await coordinator.send(`GRUPO ${HOSTILE}`);
    expect(reply.status).toBe(200);
    const long = await coordinator.send(`GRUPO ${'Ñ'.repeat(NAME_MAX + 30)}\u202E`);
    expect(long.status).toBe(200);
    const names = (await app.groups.listByCoordinator(phone)).map((g) => g.name).sort();
    expect(names).toEqual([CLEAN, 'Ñ'.repeat(NAME_MAX)].sort());
    expect(reply.text).toContain(`Grupo ${CLEAN} creado`);
  });

  it('by the admin API is cleaned; one with nothing printable, or too long, is refused', async () => {
    const phone = '+59171300002';
    await app.coordinators.register(phone, 'Beto');
    const created = await post('/api/groups', { name: HOSTILE, locale: 'es', coordinator: phone });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    const read = await app.inject({ method: 'GET', url: `/api/groups/${id}`, headers: auth });
    expect(read.json<{ name: string }>().name).toBe(CLEAN);

    const blank = await post('/api/groups', {
      name: '\u202E\u2066\u200B\u0000',
      locale: 'es',
      coordinator: phone,
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toEqual({ error: 'body/name has no printable characters' });
    const long = await post('/api/groups', {
      name: 'x'.repeat(NAME_MAX + 1),
      locale: 'es',
      coordinator: phone,
    });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ error: string }>().error).toMatch(`must NOT have more than ${NAME_MAX} characters`);
    expect((await app.groups.listByCoordinator(phone)).map((g) => g.name)).toEqual([CLEAN]);
  });

  it("by the console's form is cleaned", async () => {
    const phone = '+59171300003';
    await app.coordinators.register(phone, 'Carla');
    const admin = new ConsoleClient(app);
    admin.ip = '10.30.0.1';
    await admin.loginAsAdmin();
    const created = await admin.post('/console/groups', { name: HOSTILE, locale: 'es', coordinator: phone });
    expect(created.statusCode).toBe(303);
    const long = await admin.post('/console/groups', {
      name: `${'x'.repeat(NAME_MAX + 10)}\u2066`,
      locale: 'es',
      coordinator: phone,
    });
    expect(long.statusCode).toBe(303);
    const blank = await admin.post('/console/groups', {
      name: '\u2066\u2069',
      locale: 'es',
      coordinator: phone,
    });
    expect(blank.headers.location).toBe('/console/groups?error=name#new');
    const names = (await app.groups.listByCoordinator(phone)).map((g) => g.name).sort();
    expect(names).toEqual([CLEAN, 'x'.repeat(NAME_MAX)].sort());
  });
});

describe("a coordinator's name", () => {
  it('by the admin API is cleaned; one with nothing printable is refused', async () => {
    const phone = '+59171300004';
    const created = await post('/api/coordinators', { phone, name: HOSTILE });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ phone, name: CLEAN });
    expect((await app.coordinators.find(phone))?.name).toBe(CLEAN);
    const blank = await post('/api/coordinators', { phone, name: '\u200B\u2067' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toEqual({ error: 'body/name has no printable characters' });
  });

  it("by the console's form is cleaned", async () => {
    const phone = '+59171300005';
    const admin = new ConsoleClient(app);
    admin.ip = '10.30.0.2';
    await admin.loginAsAdmin();
    const registered = await admin.post('/console/coordinators', { phone, name: HOSTILE });
    expect(registered.headers.location).toBe('/console/groups?ok=coordinator');
    expect((await app.coordinators.find(phone))?.name).toBe(CLEAN);
  });

  it('given to the store directly is cleaned there too', async () => {
    const phone = '+59171300006';
    expect((await app.coordinators.register(phone, HOSTILE)).name).toBe(CLEAN);
    await expect(app.coordinators.register(phone, '\u202E')).rejects.toThrow(/needs a name/);
    await expect(app.groups.create({ name: '\u2066', locale: 'es', coordinator: phone })).rejects.toThrow(
      /needs a name/,
    );
  });
});
