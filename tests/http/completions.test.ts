// Finishing every Think.COOP lesson earns a code a coordinator can check through the admin API;
// BORRAR takes the code away with everything else.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendsThrough, walkCourse } from '../../src/content-tools/course-walk.js';
import { completionCode } from '../../src/flows/completion-code.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { injectTransport, Learner, testApp, useTestApp } from './helpers.js';

const ADMIN_TOKEN = 'admin-secret-for-tests-32-characters';
const { url, prefix } = useTestRedis();
const app = await useTestApp(url, prefix, { env: { ADMIN_TOKEN } });

const check = (code: string, authorization?: string) =>
  app.inject({
    method: 'GET',
    url: `/api/completions/${encodeURIComponent(code)}`,
    headers: authorization ? { authorization } : {},
  });

/** From first contact through every Think.COOP lesson, as the course walk sends it on the channel. */
async function finishThinkCoop(learner: Learner) {
  const think = realContent().course.sections[0]!;
  const walk = walkCourse(realContent(), 'es', learner.channel);
  await learner.sendAll(...sendsThrough(walk, think.flows.at(-1)!.id));
}

describe('completion codes', () => {
  const learner = () => new Learner('whatsapp:+59172220001', injectTransport(app));
  const code = completionCode(testPersonIds.completionSeed(learnerId('+59172220001')), 'think-coop');

  it('are unknown before anyone earns them', async () => {
    expect((await check(code, `Bearer ${ADMIN_TOKEN}`)).statusCode).toBe(404);
  });

  it('are told to the learner on finishing Think.COOP and can be checked by a coordinator', async () => {
    const someone = learner();
    await finishThinkCoop(someone);
    const progress = await someone.send('4');
    expect(progress.text).toContain(code);

    const found = await check(code.toLowerCase().replace(/-/g, ' '), `Bearer ${ADMIN_TOKEN}`);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({
      code,
      section: 'think-coop',
      on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('need the admin token', async () => {
    expect((await check(code)).statusCode).toBe(401);
    expect((await check(code, 'Bearer wrong-token')).statusCode).toBe(401);
    expect((await check(code, ADMIN_TOKEN)).statusCode).toBe(401);
  });

  it('reject what is not a code', async () => {
    expect((await check('hello', `Bearer ${ADMIN_TOKEN}`)).statusCode).toBe(400);
  });

  it('are forgotten with BORRAR', async () => {
    await learner().send('BORRAR');
    expect((await check(code, `Bearer ${ADMIN_TOKEN}`)).statusCode).toBe(404);
  });
});

describe('a completion code', () => {
  const phone = '+59172220002';
  const codeIn = (text: string) => /AYNI-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(text)?.[0];
  let other: FastifyInstance;
  beforeAll(async () => {
    other = await testApp(url, `${prefix}other:`, {
      env: { ID_SECRET: 'another-deployment-secret-of-40-characters' },
    });
  });
  afterAll(() => other?.close());

  it('is derived with the server secret: knowing the number is not enough to compute it', async () => {
    const here = new Learner(phone, injectTransport(app));
    const there = new Learner(phone, injectTransport(other));
    await finishThinkCoop(here);
    await finishThinkCoop(there);
    const codeHere = codeIn((await here.send('4')).text);
    const codeThere = codeIn((await there.send('4')).text);
    expect(codeHere).toBeDefined();
    expect(codeThere).toBeDefined();
    // The same number under two secrets: two codes, each checkable only where it was earned.
    expect(codeHere).not.toBe(codeThere);
    // And neither is what the number alone gave before: a code of its unkeyed hash.
    const unkeyed = createHash('sha256').update(phone).digest('base64url').slice(0, 22);
    expect([codeHere, codeThere]).not.toContain(completionCode(unkeyed, 'think-coop'));
    expect((await check(codeHere!, `Bearer ${ADMIN_TOKEN}`)).statusCode).toBe(200);
  });
});
