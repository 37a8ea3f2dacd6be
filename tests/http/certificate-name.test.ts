// NOMBRE <name>, the name on the certificate picture: kept on WhatsApp for a limited time, not at
// all on SMS (where no picture is ever sent: the answer says so, in the learner's language), and
// only after NOMBRE itself: an Aymara or Quechua message starting with the plain word for "name"
// (suti) is an ordinary message. Signed webhooks on the real app, course and Redis.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { CERTIFICATE_NAME_DAYS } from '../../src/store/certificate-name-store.js';
import { realContent } from '../support/content.js';
import { learnerId } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';
import { bolivianNumber, injectTransport, Learner, say, useTestApp } from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const app = await useTestApp(url, prefix);
const keys = new Keyspace(prefix);
const learner = (channel: 'sms' | 'whatsapp') =>
  new Learner(`${channel === 'whatsapp' ? 'whatsapp:' : ''}${bolivianNumber()}`, injectTransport(app));
const nameKey = (someone: Learner) => keys.certificateName(learnerId(someone.phone));
const LANGUAGE_CHOICE = { es: '1', ay: '2', qu: '3' } as const;

describe('NOMBRE on SMS', () => {
  it.each(['es', 'ay', 'qu'] as const)(
    'answers in %s that the picture is a WhatsApp thing, and keeps no name',
    async (lang) => {
      const someone = learner('sms');
      await someone.sendAll('hola', LANGUAGE_CHOICE[lang]);
      const reply = await someone.send('NOMBRE Ana Quispe');
      expect(reply.messages).toEqual([say(lang, 'sms', 'common:certificate.name_whatsapp_only')]);
      expect(await redis.exists(nameKey(someone))).toBe(0);
    },
  );
});

describe('NOMBRE on WhatsApp', () => {
  it(`keeps the name for ${CERTIFICATE_NAME_DAYS} days, not for good`, async () => {
    const someone = learner('whatsapp');
    await someone.sendAll('hola', '1');
    const reply = await someone.send('NOMBRE Ana Quispe');
    expect(reply.text).toContain(
      realContent().translator.t('es', 'common:certificate.name_saved', { name: 'Ana Quispe' }),
    );
    expect(await redis.get(nameKey(someone))).toBe('Ana Quispe');
    const ttl = await redis.ttl(nameKey(someone));
    expect(ttl).toBeGreaterThan((CERTIFICATE_NAME_DAYS - 1) * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(CERTIFICATE_NAME_DAYS * 24 * 3600);
  });

  it.each(['ay', 'qu'] as const)(
    'takes a %s message starting with “suti” as an ordinary message',
    async (lang) => {
      const someone = learner('whatsapp');
      await someone.sendAll('hola', LANGUAGE_CHOICE[lang]);
      const reply = await someone.send('Suti Juan');
      const saved = realContent().translator.t(lang, 'common:certificate.name_saved', { name: 'Juan' });
      expect(reply.text).not.toContain(saved);
      expect(await redis.exists(nameKey(someone))).toBe(0);
      // NOMBRE itself still works in that language.
      expect((await someone.send('NOMBRE Juan')).text).toContain(saved);
    },
  );
});
