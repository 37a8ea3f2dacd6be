// npm run whatsapp:sync against the fake Twilio's Content API, through the real twilio client:
// it creates every interactive message of the course, reuses them on a second run, replaces a
// changed one and removes one no longer used, and leaves the ContentSids in Redis.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';
import { runWhatsAppSync } from '../../src/content-tools/whatsapp-sync.js';
import { qualifyKey } from '../../src/flows/course.js';
import { WHATSAPP_LIMITS } from '../../src/content/whatsapp-limits.js';
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
/** A question's option texts in Spanish, in the order the lesson gives them. */
const optionTexts = (flowId: string, stepId: string) => {
  const step = runtime.course.flow(flowId)?.steps.find((each) => each.id === stepId);
  if (step?.type !== 'question') throw new Error(`${flowId}/${stepId} is not a question`);
  return step.options.map((key) => runtime.translator.t('es', qualifyKey(flowId, key)));
};
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
    // The self-assessment has a short label for the list and its full title below it.
    const assessment = runtime.course.assessment;
    const es = (key: string) => runtime.translator.t('es', qualifyKey(assessment.id, key));
    if (!assessment.label) throw new Error(`${assessment.id} has no short label for WhatsApp lists`);
    const [label, title] = [es(assessment.label), es(assessment.title)];
    expect(label).not.toBe(title);
    expect(contentNamed('ayni_es_menu')).toMatchObject({
      language: 'es',
      types: {
        'twilio/list-picker': {
          body: '{{1}}',
          button: 'Elegir',
          items: [
            { id: 'ayni_es_menu.1', item: 'Think.COOP' },
            { id: 'ayni_es_menu.2', item: label, description: title },
            { id: 'ayni_es_menu.3', item: 'Start.COOP' },
            { id: 'ayni_es_menu.4', item: 'Mi progreso' },
            { id: 'ayni_es_menu.5', item: 'Ayuda' },
          ],
        },
      },
    });
    // every option fits a button: the options, in the lesson's order, are the labels
    const autonomy = optionTexts('seven-principles', 'q-autonomy');
    expect(autonomy.every((text) => [...text].length <= WHATSAPP_LIMITS.quickReplyTitle)).toBe(true);
    expect(contentNamed('ayni_es_q_seven-principles_q-autonomy').types).toEqual({
      'twilio/quick-reply': {
        body: '{{1}}',
        actions: autonomy.map((title, i) => ({
          id: `ayni_es_q_seven-principles_q-autonomy.${i + 1}`,
          title,
        })),
      },
    });
    // "Que decida el gerente" is 21 characters: every button is its number, the body has the texts
    const vote = optionTexts('seven-principles', 'q-vote');
    expect(vote).toContain('Que decida el gerente');
    expect(contentNamed('ayni_es_q_seven-principles_q-vote').types).toEqual({
      'twilio/quick-reply': {
        body: '{{1}}',
        actions: vote.map((_, i) => ({
          id: `ayni_es_q_seven-principles_q-vote.${i + 1}`,
          title: String(i + 1),
        })),
      },
    });
  });

  it('makes buttons only for questions and ratings: never for a figure to type or a calculation', () => {
    const flows = [...runtime.course.lessons, runtime.course.assessment];
    const typed = flows.flatMap((flow) =>
      flow.steps
        .filter((step) => step.type === 'number' || step.type === 'calculation')
        .map((step) => `${flow.id}_${step.id}`),
    );
    expect(typed.length).toBeGreaterThan(0); // the money lesson asks for figures
    const questions = fake.content.contents
      .map((c) => /^ayni_es_q_(.+)$/.exec(c.friendly_name)?.[1])
      .filter((name) => name !== undefined);
    expect(questions.length).toBeGreaterThan(0);
    for (const name of typed) expect(questions).not.toContain(name);
    for (const name of questions) {
      const flow = flows.find((each) => name.startsWith(`${each.id}_`));
      const step = flow?.steps.find((each) => `${flow.id}_${each.id}` === name);
      expect(['question', 'rating'], name).toContain(step?.type);
    }
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

  it('replaces a resource synced when button ids were bare option numbers', async () => {
    // Before ids named their message, a tap on an old message's button answered the current one.
    const language = contentNamed('ayni_es_language');
    const { actions } = language.types['twilio/quick-reply'] as { actions: { id: string; title: string }[] };
    expect(actions.map((a) => a.id)).toEqual([
      'ayni_es_language.1',
      'ayni_es_language.2',
      'ayni_es_language.3',
    ]);
    language.types = {
      'twilio/quick-reply': { body: '{{1}}', actions: actions.map((a, i) => ({ ...a, id: String(i + 1) })) },
    };
    const again = await runWhatsAppSync(runtime, client, store);
    expect(again.created).toEqual(['ayni_es_language']);
    expect(again.removed).toEqual(['ayni_es_language']);
    expect(contentNamed('ayni_es_language').types).toEqual({
      'twilio/quick-reply': { body: '{{1}}', actions },
    });
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
