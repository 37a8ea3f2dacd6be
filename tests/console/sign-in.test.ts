// Signing in, below the HTTP layer, over the test's own Redis client: asking for a code and
// trying a wrong one send Redis the same commands for a coordinator's number as for a stranger's
// (so they take the same time), and the code is texted only afterwards, only to the coordinator.
import { describe, expect, it, vi } from 'vitest';
import type { OutboundMessage } from '../../src/messaging/outbound-message.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { ConsoleAuth } from '../../src/routes/console/auth.js';
import { SignIn } from '../../src/routes/console/sign-in.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';

const { redis, prefix } = useTestRedis();
const keyspace = new Keyspace(prefix);
const stores = createStores(redis, keyspace, testPersonIds);
const auth = new ConsoleAuth(redis, keyspace, 'sign-in test secret', testPersonIds);

const COORDINATOR = '+59171140001';
const STRANGER = '+59179940001';

/** A SignIn whose texts are recorded, and whose after-the-answer work waits until told to run. */
function signInForTest() {
  const sent: OutboundMessage[] = [];
  const later: Array<() => Promise<void>> = [];
  const signIn = new SignIn({
    auth,
    coordinators: stores.coordinators,
    sessions: stores.sessions,
    outbound: {
      send: async (message) => {
        sent.push(message);
        return 'queued';
      },
    },
    content: realContent(),
    adminToken: undefined,
    canText: true,
    afterReply: { run: (_what, task) => void later.push(task) },
    log: { info: () => undefined },
  });
  const runLater = async () => {
    for (const task of later.splice(0)) await task();
  };
  return { signIn, sent, runLater };
}

/** The commands `work` sends this Redis client, with the number and its traces made alike. */
async function commandsOf(phone: string, work: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(redis, 'sendCommand');
  try {
    await work();
    return spy.mock.calls.map(([command]) =>
      [command.name, ...command.args.map(String)]
        .join(' ')
        .replaceAll(learnerId(phone), '<id>')
        .replaceAll(phone, '<phone>')
        .replace(/\b[0-9a-f]{64}\b/g, '<keyed hash>'),
    );
  } finally {
    spy.mockRestore();
  }
}

describe('the work behind the login', () => {
  it('asks Redis the same, command for command, for a coordinator’s number and a stranger’s', async () => {
    await stores.coordinators.register(COORDINATOR, 'Ana');
    const { signIn, sent, runLater } = signInForTest();

    const asked = {
      coordinator: await commandsOf(COORDINATOR, () => signIn.sendCode(COORDINATOR)),
      stranger: await commandsOf(STRANGER, () => signIn.sendCode(STRANGER)),
    };
    expect(asked.coordinator.length).toBeGreaterThan(0);
    expect(asked.stranger).toEqual(asked.coordinator);
    expect(sent).toEqual([]); // nothing texted on the request's path

    // The first script call after a start loads the script (NOSCRIPT, then EVAL): whoever's number.
    await signIn.checkCode('+59170000000', '000000');
    const wrong = {
      coordinator: await commandsOf(COORDINATOR, () => signIn.checkCode(COORDINATOR, '1234567')),
      stranger: await commandsOf(STRANGER, () => signIn.checkCode(STRANGER, '1234567')),
    };
    expect(wrong.stranger).toEqual(wrong.coordinator);
    expect(await signIn.checkCode(STRANGER, '1234567')).toEqual({ ok: false, reason: 'wrong', triesLeft: 3 });

    await runLater();
    expect(sent.map((m) => m.to)).toEqual([COORDINATOR]);
  });

  it('keeps every number’s code only as a keyed hash, with its tries', async () => {
    const { signIn } = signInForTest();
    await signIn.sendCode(STRANGER);
    const record = await redis.hgetall(keyspace.consoleCode(learnerId(STRANGER)));
    expect(record).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), tries: '0' });
  });
});
