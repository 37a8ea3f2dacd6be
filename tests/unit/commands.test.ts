// Commands typed with an argument: the command word from words.yaml, the argument as typed.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/reading/commands.js';
import { realContent } from '../support/content.js';

const { lexicon } = realContent();

describe('parseCommand', () => {
  it.each([
    ['UNIRME K7P3QM', { kind: 'join', code: 'K7P3QM' }],
    ['unirme k7p-3qm', { kind: 'join', code: 'K7P3QM' }],
    ['  Unirse   k7p 3qm ', { kind: 'join', code: 'K7P3QM' }],
    ['UNIRME hola', { kind: 'join', code: null }],
    ['UNIRME', { kind: 'join', code: null }],
    ['SALIR', { kind: 'leave' }],
    ['salir del grupo', { kind: 'leave' }],
    ['GRUPO Mercado Rodríguez', { kind: 'group', name: 'Mercado Rodríguez' }],
    ['QUIZ K7P3QM 2', { kind: 'quiz', code: 'K7P3QM', lesson: '2' }],
    ['quiz k7p3qm what-is-a-cooperative', { kind: 'quiz', code: 'K7P3QM', lesson: 'what-is-a-cooperative' }],
    [
      'AVISO K7P3QM Mañana a las 10, en la sede',
      { kind: 'notice', code: 'K7P3QM', text: 'Mañana a las 10, en la sede' },
    ],
  ])('%j', (text, command) => {
    expect(parseCommand(text, lexicon)).toEqual(command);
  });

  it.each(['1', 'hola', 'GRUPO', 'quiero unirme', 'menu'])('%j is no command', (text) => {
    expect(parseCommand(text, lexicon)).toBeNull();
  });

  it('cuts a long group name to keep messages within one SMS', () => {
    const command = parseCommand(`GRUPO ${'x'.repeat(100)}`, lexicon);
    expect(command).toEqual({ kind: 'group', name: 'x'.repeat(40) });
  });
});
