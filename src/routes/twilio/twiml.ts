/**
 * The TwiML answer to an inbound message: one <Message> per reply, none to stay silent; with a
 * picture, its reply is <Message><Body>…</Body><Media>…</Media></Message>.
 */
import twilio from 'twilio';

// Characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF). None of
// Ayni's own texts has them; this keeps anything echoed from a sender from breaking the reply.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `media[i]`: a picture sent with reply i, which becomes its caption (WhatsApp). */
export function messagingTwiml(replies: string[], media: readonly (string | undefined)[] = []): string {
  const response = new twilio.twiml.MessagingResponse();
  replies.forEach((text, i) => {
    const clean = text.replace(NOT_XML, '');
    const mediaUrl = media[i];
    if (!mediaUrl) return void response.message(clean);
    const message = response.message('');
    message.body(clean);
    message.media(mediaUrl);
  });
  return response.toString();
}
