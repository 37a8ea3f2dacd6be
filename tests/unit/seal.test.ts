// Secret bodies (console login codes) wait in the queue sealed: only a sealer with the same secret
// opens them, and a sealed body shows nothing of the text.
import { describe, expect, it } from 'vitest';
import { Sealer } from '../../src/messaging/seal.js';

describe('Sealer', () => {
  const sealer = new Sealer('the-server-id-secret-at-least-32-chars');
  const text = 'Ayni: tu codigo para entrar a la consola es 482913.';

  it('opens what it sealed, and the sealed text holds nothing of it', () => {
    const sealed = sealer.seal(text);
    expect(sealed).not.toContain('482913');
    expect(sealed).not.toContain('consola');
    expect(sealer.open(sealed)).toBe(text);
    // A fresh nonce each time: the same text never seals the same way twice.
    expect(sealer.seal(text)).not.toBe(sealed);
  });

  it('opens nothing sealed with another secret, changed, or not sealed at all', () => {
    const sealed = sealer.seal(text);
    expect(new Sealer('another-secret').open(sealed)).toBeNull();
    const [version, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = body.startsWith('A') ? `B${body.slice(1)}` : `A${body.slice(1)}`;
    expect(sealer.open([version, iv, flipped, tag].join('.'))).toBeNull();
    expect(sealer.open(text)).toBeNull();
  });
});
