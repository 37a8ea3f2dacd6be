// A trainer changes lesson 1 while learners are in the middle of it: one step removed, one
// renamed. Learners saved under the old version resume at a sensible step, with a notice and
// the step shown again; a learner on an untouched step goes on as if nothing happened.
import { spellForChannel } from '../../src/i18n/sms-spelling.js';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { parseAddress } from '../../src/privacy/phone.js';
import { FakeClock, testEngine } from '../support/engine.js';
import { useTestRedis } from '../support/test-redis.js';

const { redis, prefix } = useTestRedis();
const dir = mkdtempSync(path.join(tmpdir(), 'ayni-content-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync('flows', path.join(dir, 'flows'), { recursive: true });
cpSync('locales', path.join(dir, 'locales'), { recursive: true });
const dirs = { flowsDir: path.join(dir, 'flows'), localesDir: path.join(dir, 'locales') };

const clock = new FakeClock(Date.parse('2026-03-02T13:00:00Z'));
let sid = 0;
async function send(engine: ReturnType<typeof testEngine>['engine'], phone: string, body: string) {
  return engine.handle({
    address: parseAddress(phone)!,
    body,
    messageSid: `SM${String(++sid).padStart(32, '0')}`,
  });
}

function deployVersion2() {
  const flowFile = path.join(dirs.flowsDir, 'lessons/what-is-a-cooperative.yaml');
  const flow = parse(readFileSync(flowFile, 'utf8'));
  flow.version += 1;
  flow.steps = flow.steps.filter((s: { id: string }) => s.id !== 'democracy');
  flow.steps.find((s: { id: string }) => s.id === 'q-owners').id = 'q-who-owns';
  flow.formerSteps = { 'q-owners': 'q-who-owns' };
  writeFileSync(flowFile, stringify(flow));
  for (const lang of ['es', 'ay', 'qu']) {
    const file = path.join(dirs.localesDir, lang, 'what-is-a-cooperative.yaml');
    const texts = parse(readFileSync(file, 'utf8'));
    delete texts.democracy;
    writeFileSync(file, stringify(texts));
  }
}

describe('a content deploy under learners in the middle of a lesson', () => {
  it('resumes each learner at a sensible step', async () => {
    const original = buildContentRuntime(dirs);
    const before = testEngine(original, redis, prefix, clock);
    const toLesson = ['hola', '1', '1', '6']; // what-is-a-cooperative is Think.COOP lesson 6
    // A stands on q-owners (renamed), B on democracy (removed), C on bolivia (unchanged). By SMS,
    // where each of these reading steps takes its own message (WhatsApp would read ahead).
    for (const body of [...toLesson, '1', '1', '1', '1']) await send(before.engine, '+59170000001', body);
    for (const body of [...toLesson, '1', '1', '1', '1', '1'])
      await send(before.engine, '+59170000002', body);
    for (const body of [...toLesson, '1', '1', '1', '1', '1', '1', '3'])
      await send(before.engine, '+59170000003', body);
    expect((await send(before.engine, '+59170000001', 'MENU')).state).toBe('menu');
    await send(before.engine, '+59170000001', '1');
    // Back into the lesson from the list: it resumes at the bookmarked question.
    expect((await send(before.engine, '+59170000001', '6')).state).toBe(
      'flow/what-is-a-cooperative/q-owners',
    );

    deployVersion2();
    const runtime = buildContentRuntime(dirs);
    const after = testEngine(runtime, redis, prefix, clock);
    expect(runtime.course.version).not.toBe(original.course.version);
    const sms = (key: string) =>
      spellForChannel(runtime.translator.t('es', key), 'es', 'sms', runtime.spelling);
    const changed = sms('common:flow_changed');

    const a = await send(after.engine, '+59170000001', 'hola');
    expect(a.state).toBe('flow/what-is-a-cooperative/q-who-owns');
    expect(a.replies[0]).toContain(changed.slice(0, 20));
    expect(a.replies.join('\n')).toContain(sms('what-is-a-cooperative:q_owners.b'));

    const b = await send(after.engine, '+59170000002', '1');
    // democracy was the fifth step; the fifth step is now q-votes.
    expect(b.state).toBe('flow/what-is-a-cooperative/q-votes');
    expect(b.replies[0]).toContain(changed.slice(0, 20));
    const votes = await send(after.engine, '+59170000002', '3');
    expect(votes.state).toBe('flow/what-is-a-cooperative/bolivia');

    const c = await send(after.engine, '+59170000003', '1');
    expect(c.state).toBe('list/think-coop/p2');
    expect(c.replies.join('\n')).not.toContain(changed.slice(0, 20));
  });
});
