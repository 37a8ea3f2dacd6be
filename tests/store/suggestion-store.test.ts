// What the suggestion store keeps and gives back: BORRAR takes a learner's words out of the
// per-text counts (so erasing and repeating cannot inflate a suggestion, and nothing they wrote
// outlives them), phone numbers are masked before storing, and a text keeps a bounded number of
// distinct suggestions. On the real Redis of the test run.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { MASKED_NUMBER, SUGGESTIONS_PER_TEXT, SuggestionStore } from '../../src/store/suggestion-store.js';
import { useTestRedis } from '../support/test-redis.js';

const t = useTestRedis();
const day = '2026-03-02';
let n = 0;
/** A store under its own prefix, so each test sees only what it wrote. */
function freshStore() {
  const keys = new Keyspace(`${t.prefix}${++n}:`);
  return { keys, store: new SuggestionStore(t.redis, keys) };
}
const at = (text: string, textKey = 'lesson:intro') => ({ lang: 'ay', textKey, text, day });

describe('the suggestion store', () => {
  it('takes a learner’s suggestions out of the counts on BORRAR, so erasing and repeating counts once', async () => {
    const { store, keys } = freshStore();
    expect(await store.record('ana', at('Uka | sutix'))).toBe('recorded');
    expect(await store.record('ana', at('Yaqha', 'lesson:end'))).toBe('recorded');
    expect(await store.record('rosa', at('Uka | sutix'))).toBe('recorded');

    await store.forgetLearner('ana');
    await t.redis.del(...keys.erasedWithLearner('ana'));
    expect([...(await store.forLanguage('ay')).entries()]).toEqual([
      ['lesson:intro', [{ text: 'Uka | sutix', count: 1 }]],
    ]);
    expect(await t.redis.exists(keys.textSuggestions('ay', 'lesson:end'))).toBe(0);

    // Back under the same id after BORRAR: the suggestion counts for them once again, not twice.
    expect(await store.record('ana', at('Uka | sutix'))).toBe('recorded');
    expect((await store.forLanguage('ay')).get('lesson:intro')).toEqual([{ text: 'Uka | sutix', count: 2 }]);
    await store.forgetLearner('ana');
    await store.forgetLearner('rosa');
    expect(await store.forLanguage('ay')).toEqual(new Map());
  });

  it('masks runs of 7 digits or more, however they are written, and keeps shorter numbers', async () => {
    const { store } = freshStore();
    await store.record('ana', at('Llámame al +591 72841936 o 7284-1936, cuesta 150 Bs en 2026'));
    expect((await store.forLanguage('ay')).get('lesson:intro')).toEqual([
      { text: `Llámame al ${MASKED_NUMBER} o ${MASKED_NUMBER}, cuesta 150 Bs en 2026`, count: 1 },
    ]);
  });

  it('masks numbers written with brackets, slashes, underscores, or other digits', async () => {
    const { store } = freshStore();
    await store.record(
      'ana',
      at('(712) 345-67 o 712/345/67 o 7_1_2_3_4_5_6_7 o ７１２３４５６７ o ٧١٢٣٤٥٦٧'),
    );
    const [kept] = (await store.forLanguage('ay')).get('lesson:intro') ?? [];
    expect(kept?.text.split(' o ')).toEqual(Array(5).fill(MASKED_NUMBER));
  });

  it(`keeps at most ${SUGGESTIONS_PER_TEXT} distinct suggestions per text, and still counts those`, async () => {
    const { store, keys } = freshStore();
    for (let i = 0; i < SUGGESTIONS_PER_TEXT; i++) {
      expect(await store.record(`learner-${i}`, at(`suggestion ${i}`))).toBe('recorded');
    }
    expect(await store.record('late', at('one too many'))).toBe('full');
    expect(await store.record('late', at('suggestion 0'))).toBe('recorded');
    const kept = (await store.forLanguage('ay')).get('lesson:intro') ?? [];
    expect(kept).toHaveLength(SUGGESTIONS_PER_TEXT);
    expect(kept[0]).toEqual({ text: 'suggestion 0', count: 2 });
    // What was not kept is not the learner's to take back later.
    expect(await t.redis.smembers(keys.learnerSuggestions('late'))).toEqual(['ay|lesson:intro|suggestion 0']);
  });
});
