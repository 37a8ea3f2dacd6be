/**
 * Redis memory per learner: `learners` learners each go from first contact to the end of lesson 1
 * on `channel`, through the engine, on an empty Redis; MEMORY USAGE over each learner's keys (the
 * session, the lock, the replay log) and their share of the learner index.
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

export interface MemoryResult {
  channel: Channel;
  learners: number;
  /** messages each learner sent */
  messages: number;
  perLearner: number;
  /** one learner's session value, in bytes of JSON */
  sessionBytes: number;
}

/** A learner's own keys after a lesson: the session, the lock (gone by then) and the replay log. */
const learnerKeys = (keys: Keyspace, id: string) => [...keys.sessionAndLock(id), keys.replayLog(id)];

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
  let bytes = 0;
  for (let learner = 0; learner < learners; learner++) {
    const id = ids.learnerId(phoneOf(learner));
    for (const key of learnerKeys(keys, id)) bytes += (await redis.memory('USAGE', key)) ?? 0;
  }
  let indexBytes = 0; // the learner index is sharded in buckets: its share is all of them
  for (const key of keys.learnerIndexBuckets()) indexBytes += (await redis.memory('USAGE', key)) ?? 0;
  const finished = (await redis.get(keys.session(ids.learnerId(phoneOf(0))))) ?? '';
  return {
    channel,
    learners,
    messages: script.length,
    perLearner: Math.round((bytes + indexBytes) / learners),
    sessionBytes: Buffer.byteLength(finished),
  };
}
