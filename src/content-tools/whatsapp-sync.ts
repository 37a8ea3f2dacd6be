/**
 * `npm run whatsapp:sync`, as a function: makes the course's interactive WhatsApp messages (every
 * language) into Twilio Content resources and stores their ContentSids in Redis, where every
 * process finds them (WhatsAppContentStore). Running it again changes nothing unless the course did.
 */
import type twilio from 'twilio';
import type { ContentRuntime } from '../plugins/content-runtime.js';
import { syncContent, type ContentSyncResult } from '../messaging/content-sync.js';
import { courseInteractives, CONTENT_NAME_PREFIX } from '../replies/whatsapp-content.js';
import { createWording } from '../replies/wording.js';
import type { WhatsAppContentStore } from '../store/whatsapp-content-store.js';

export async function runWhatsAppSync(
  runtime: Pick<ContentRuntime, 'course' | 'translator'>,
  client: twilio.Twilio,
  store: WhatsAppContentStore,
): Promise<ContentSyncResult> {
  const wanted = courseInteractives(createWording(runtime.course, runtime.translator));
  const result = await syncContent(client, wanted, CONTENT_NAME_PREFIX);
  await store.replaceAll(result.sids);
  return result;
}

/** The command's printout: one line per resource created or removed, then the counts. */
export function describeSync(result: ContentSyncResult): string[] {
  return [
    ...result.created.map((name) => `created ${name} ${result.sids[name] ?? ''}`.trim()),
    ...result.removed.map((name) => `removed ${name}`),
    `${result.created.length} created, ${result.reused.length} reused, ${result.removed.length} removed`,
  ];
}
