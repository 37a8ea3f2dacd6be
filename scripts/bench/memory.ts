/**
 * Redis memory per learner: `learners` learners each go from first contact to the end of lesson 1
 * on `channel`, through the engine, on an empty Redis; MEMORY USAGE over each learner's keys and
 * their share of the learner index and of the due-nudge sets, counted as the memory test counts
 * them (memory-per-learner.ts).
 */
import type { Redis } from 'ioredis';
import { sendsThrough, walkCourse } from '../../src/content-tools/course-walk.js';
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';
import type { ContentRuntime } from '../../src/plugins/content-runtime.js';
import { createConversationEngine } from '../../src/plugins/create-engine.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { KeyedPersonIds } from '../../src/privacy/person-ids.js';
import { parseAddress, type Channel } from '../../src/privacy/phone.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { phoneOf } from './load.js';
import { learnerMemory, type LearnerMemory } from './memory-per-learner.js';

export interface MemoryResult {
  channel: Channel;
  learners: number;
  /** messages each learner sent */
  messages: number;
  perLearner: number;
  /** each contributor, bytes per learner */
  contributors: LearnerMemory['bytes'];
  encodings: LearnerMemory['encodings'];
  /** one learner's session value, in bytes of JSON */
  sessionBytes: number;
}

export async function measureMemory(
  redis: Redis,
  runtime: ContentRuntime,
  channel: Channel,
  learners: number,
): Promise<MemoryResult> {
  await redis.flushall(); // the benchmark's own throwaway server
  const ids = new KeyedPersonIds(DEVELOPMENT_ID_SECRET);
  const keys = new Keyspace('ayni:');
  const { engine } = createConversationEngine(runtime, createStores(redis, keys, ids));
  const firstLesson = runtime.course.sections[0]!.flows[0]!;
  const script = sendsThrough(walkCourse(runtime, 'es', channel), firstLesson.id);
  const prefix = channel === 'whatsapp' ? 'whatsapp:' : '';
  let sid = 0;
  for (let learner = 0; learner < learners; learner++) {
    const address = parseAddress(`${prefix}${phoneOf(learner)}`)!;
    for (const body of script) {
      await engine.handle({ address, body, messageSid: `SM${String(++sid).padStart(32, '0')}` });
    }
  }
  const measured = Array.from({ length: learners }, (_, learner) => ids.learnerId(phoneOf(learner)));
  const { bytes, encodings } = await learnerMemory(redis, keys, measured);
  const finished = (await redis.get(keys.session(ids.learnerId(phoneOf(0))))) ?? '';
  return {
    channel,
    learners,
    messages: script.length,
    perLearner: Math.round(bytes.total),
    contributors: bytes,
    encodings,
    sessionBytes: Buffer.byteLength(finished),
  };
}
