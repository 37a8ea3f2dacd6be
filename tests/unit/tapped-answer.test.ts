// How a WhatsApp tap is read: the option number is the answer, the name says which message the
// button was on; an id that is not Ayni's leaves the typed text.
import { describe, expect, it } from 'vitest';
import { inboundAnswerOf } from '../../src/reading/tapped-answer.js';

describe('inboundAnswerOf', () => {
  it('reads an id of Ayni’s as the option number and the message it was on', () => {
    expect(inboundAnswerOf({ Body: 'Runa simi', ButtonPayload: 'ayni_es_language.3' })).toEqual({
      body: '3',
      tappedOn: 'ayni_es_language',
    });
    expect(inboundAnswerOf({ Body: 'x', ListId: ' ayni_qu_q_seven-principles_q-vote.10 ' })).toEqual({
      body: '10',
      tappedOn: 'ayni_qu_q_seven-principles_q-vote',
    });
    expect(inboundAnswerOf({ Body: 'Ver más', ListId: 'ayni_es_lessons_think-coop_1.0' })).toEqual({
      body: '0',
      tappedOn: 'ayni_es_lessons_think-coop_1',
    });
  });

  it('reads a bare number (resources synced before ids named their message) as on no known message', () => {
    expect(inboundAnswerOf({ Body: 'Runa simi', ButtonPayload: '3' })).toEqual({ body: '3', tappedOn: null });
  });

  it('leaves the typed text for a typed message and for an id that is not Ayni’s', () => {
    expect(inboundAnswerOf({ Body: '2' })).toEqual({ body: '2' });
    for (const id of [
      'broadcast-reply-yes',
      'ayni_es_menu',
      'ayni_es_menu.100',
      'ayni_es_menu.01',
      'other.1',
      '',
    ]) {
      expect(inboundAnswerOf({ Body: 'Sí', ButtonPayload: id }), id).toEqual({ body: 'Sí' });
    }
    expect(inboundAnswerOf({})).toEqual({ body: '' });
  });
});
