// The issue target for SMS, where the learner's organisation pays per segment: on the whole
// course walk (happy path, from first contact), at least 90% of the Aymara and Quechua messages
// fit in one segment, and every Spanish message does except the first greeting, which carries a
// line in each language. Read off the real content, so a longer draft shows up here by name.
import { describe, expect, it } from 'vitest';
import { walkCourse } from '../../src/content-tools/course-walk.js';
import { WELCOME_BUDGET } from '../../src/content-tools/sms-budget.js';
import { smsSize } from '../../src/replies/sms-segments.js';
import { realContent } from '../support/content.js';

const ISSUE_TARGET = 0.9;

describe('SMS messages in one segment on the whole course', () => {
  const runtime = realContent();

  it.each(['ay', 'qu'] as const)('in %s, at least 90% of them', (lang) => {
    const sent = walkCourse(runtime, lang, 'sms').flatMap((turn) => turn.replies);
    const longer = sent.filter((text) => smsSize(text).segments > 1);
    const share = 1 - longer.length / sent.length;
    // On failure, the texts to shorten first: the ones closest to one segment.
    const closest = longer.toSorted((a, b) => smsSize(a).units - smsSize(b).units).slice(0, 5);
    expect(
      share,
      `${longer.length} of ${sent.length} take two segments or more:\n${closest.join('\n---\n')}`,
    ).toBeGreaterThanOrEqual(ISSUE_TARGET);
  });

  it('in es, every one but the first greeting', () => {
    const [first, ...rest] = walkCourse(runtime, 'es', 'sms');
    const longer = rest.flatMap((turn) => turn.replies).filter((text) => smsSize(text).segments > 1);
    expect(longer).toEqual([]);
    for (const text of first!.replies) expect(smsSize(text).segments).toBeLessThanOrEqual(WELCOME_BUDGET);
  });
});
