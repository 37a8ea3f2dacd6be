// npm run whatsapp:sync against the fake Twilio's Content API, through the real twilio client:
// it creates every interactive message of the course, reuses them on a second run, replaces a
// changed one and removes one no longer used, and leaves the ContentSids in Redis.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';
import { runWhatsAppSync } from '../../src/content-tools/whatsapp-sync.js';
import { createTwilioClient } from '../../src/messaging/twilio-client.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { WhatsAppContentStore } from '../../src/store/whatsapp-content-store.js';
import { realContent } from '../support/content.js';
import { useFakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';

const fake = await useFakeTwilio({
  credentials: { accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken },
});
const db = useTestRedis();
const client = createTwilioClient({ ...TEST_TWILIO, apiUrl: fake.url });
const store = new WhatsAppContentStore(db.redis, new Keyspace(db.prefix));
const runtime = realContent();
const contentNamed = (name: string) => {
  const found = fake.content.contents.find((c) => c.friendly_name === name);
  if (!found) throw new Error(`no content resource ${name}`);
  return found;
};

describe('npm run whatsapp:sync', () => {
  it('creates every interactive message once, then reuses them', async () => {
    fake.reset();
    const first = await runWhatsAppSync(runtime, client, store);
    expect(first.reused).toEqual([]);
    expect(first.removed).toEqual([]);
    expect(fake.content.created).toEqual(first.created);
    // per language: the language choice, the menu, the lesson pages and every question
    for (const lang of ['es', 'ay', 'qu']) {
      expect(first.created).toContain(`ayni_${lang}_language`);
      expect(first.created).toContain(`ayni_${lang}_menu`);
      expect(first.created).toContain(`ayni_${lang}_lessons_think-coop_1`);
      expect(first.created).toContain(`ayni_${lang}_q_seven-principles_q-vote`);
    }
    expect(await store.all()).toEqual(first.sids);

    const second = await runWhatsAppSync(runtime, client, store);
    expect(second.created).toEqual([]);
    expect(second.removed).toEqual([]);
    expect(second.reused.sort()).toEqual([...first.created].sort());
    expect(second.sids).toEqual(first.sids);
  });

  it('makes the Spanish menu a list and a three-option question quick-reply buttons', () => {
    expect(contentNamed('ayni_es_menu')).toMatchObject({
      language: 'es',
      types: {
        'twilio/list-picker': {
          body: '{{1}}',
          button: 'Elegir',
          items: [
            { id: '1', item: 'Think.COOP' },
            { id: '2', item: '¿Es para nosotros?', description: '¿Una cooperativa es para nosotros?' },
            { id: '3', item: 'Start.COOP' },
            { id: '4', item: 'Mi progreso' },
            { id: '5', item: 'Ayuda' },
          ],
        },
      },
    });
    // every option fits a button: the options are the labels
    const autonomy = contentNamed('ayni_es_q_seven-principles_q-autonomy');
    expect(autonomy.types).toEqual({
      'twilio/quick-reply': {
        body: '{{1}}',
        actions: [
          { id: '1', title: 'El 4, autonomía' },
          { id: '2', title: 'El 5, educación' },
          { id: '3', title: 'El 6, cooperación' },
        ],
      },
    });
    // "Que decida el gerente" is 21 characters: every button is its number, the body has the texts
    const vote = contentNamed('ayni_es_q_seven-principles_q-vote');
    expect(vote.types).toEqual({
      'twilio/quick-reply': {
        body: '{{1}}',
        actions: ['1', '2', '3'].map((id) => ({ id, title: id })),
      },
    });
  });

  it('replaces a changed resource and removes one the course no longer has', async () => {
    const before = await store.all();
    contentNamed('ayni_es_menu').types = { 'twilio/text': { body: 'old' } }; // as if the course had changed since
    const orphan = await client.content.v1.contents.create({
      friendly_name: 'ayni_es_q_gone_q1',
      language: 'es',
      types: { 'twilio/text': { body: 'x' } },
    } as never);
    const other = await client.content.v1.contents.create({
      friendly_name: 'someone_else',
      language: 'es',
      types: { 'twilio/text': { body: 'x' } },
    } as never);
    const third = await runWhatsAppSync(runtime, client, store);
    expect(third.created).toEqual(['ayni_es_menu']);
    expect(third.removed.sort()).toEqual(['ayni_es_menu', 'ayni_es_q_gone_q1']);
    const after = await store.all();
    expect(after.ayni_es_menu).not.toEqual(before.ayni_es_menu);
    expect(after.ayni_es_menu).toMatch(/^HX[0-9a-f]{32}$/);
    expect(after.ayni_es_q_gone_q1).toBeUndefined();
    const left = fake.content.contents.map((c) => c.sid);
    expect(left).not.toContain(orphan.sid);
    expect(left).toContain(other.sid); // not ours: never touched
  });

  it('prints what it created, reused and removed (the command itself)', async () => {
    fake.reset();
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/whatsapp-sync.ts'], {
      env: {
        ...process.env,
        REDIS_URL: db.url,
        REDIS_PREFIX: db.prefix,
        TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
        TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
        ID_SECRET: DEVELOPMENT_ID_SECRET,
        TWILIO_API_URL: fake.url,
      },
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain(`created ayni_es_menu ${(await store.all()).ayni_es_menu}`);
    expect(lines.at(-1)).toBe(`${fake.content.created.length} created, 0 reused, 0 removed`);
  });
});
