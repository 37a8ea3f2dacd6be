/**
 * Sealing the body of a secret message (a console login code) for the time it waits in the
 * queue: AES-256-GCM with a key derived from a secret of the deployment's configuration, which
 * every process has and Redis never sees. The queue holds only the sealed text; the worker opens
 * it just before calling Twilio. A changed secret makes a sealed body unreadable: that message
 * fails (a login code is asked for again), nothing else does.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret) throw new Error('outbound: sealing secret messages needs a secret');
    this.key = createHmac('sha256', secret).update('ayni/sealed-body').digest();
  }

  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return [VERSION, iv, sealed, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The text, or null when it was sealed with another key or changed since. */
  open(sealed: string): string | null {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || iv === undefined || body === undefined || tag === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return null;
    }
  }
}
