// Reading ahead on WhatsApp counts the turn's bubbles without writing their texts
// (whatsappBubbles); the count must be that of the texts textFor writes, for any replies.
import { describe, expect, it } from 'vitest';
import { textFor, whatsappBubbles, type Said } from '../../src/conversation/said.js';
import type { Reply } from '../../src/flows/reply.js';

/** A reply renders to `key`'s number of texts (a calculation may make several, or none). */
const render = (reply: Reply): string[] =>
  reply.kind === 'text' ? Array.from({ length: Number(reply.key) }, (_, i) => `text ${i}`) : ['a text'];

const POOL: Reply[] = [
  { kind: 'text', key: '0' },
  { kind: 'text', key: '1' },
  { kind: 'text', key: '2' },
  { kind: 'lessonDone', flow: 'f', score: 1, total: 2 },
  { kind: 'step', flow: 'f', step: 's' },
];

/** Every sequence of up to `length` replies from the pool. */
function* sequences(length: number): Generator<Reply[]> {
  if (length === 0) {
    yield [];
    return;
  }
  for (const shorter of sequences(length - 1)) {
    yield shorter;
    if (shorter.length === length - 1) for (const reply of POOL) yield [...shorter, reply];
  }
}

describe('whatsappBubbles', () => {
  it('counts the bubbles textFor makes on WhatsApp, for every sequence of up to five replies', () => {
    let checked = 0;
    for (const replies of sequences(5)) {
      const said: Said[] = replies.map((reply) => ({ lang: 'es', reply }));
      expect(whatsappBubbles(said, { render }), JSON.stringify(replies)).toBe(
        textFor(said, 'whatsapp', { render }).length,
      );
      checked++;
    }
    expect(checked).toBe(1 + 5 + 25 + 125 + 625 + 3125);
  });
});
