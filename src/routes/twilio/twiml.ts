/**
 * The TwiML answer to an inbound message: one <Message> per reply, none to stay silent; with a
 * picture, its reply is <Message><Body>…</Body><Media>…</Media></Message>.
 *
 * Written as a string rather than through twilio's MessagingResponse (xmlbuilder), which cost
 * about 30 µs a request on the webhook's path. The bytes are what the builder wrote for every
 * input once the characters XML cannot carry were dropped (as before; the builder refuses them):
 * tests/unit/twiml.test.ts keeps that old way as the reference.
 */

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

// Characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF). None of
// Ayni's own texts has them; this keeps anything echoed from a sender from breaking the reply.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// The same, without /g: a global regex's test() would carry lastIndex from one call to the next.
const HAS_NOT_XML = new RegExp(NOT_XML.source);

// What xmlbuilder escapes in a text node, and nothing more: quotes and apostrophes stay bare, and
// \r is written as a reference so that a parser's line-end normalization does not eat it.
const TO_ESCAPE = /[&<>\r]/;

/** `media[i]`: a picture sent with reply i, which becomes its caption (WhatsApp). */
export function messagingTwiml(replies: string[], media: readonly (string | undefined)[] = []): string {
  if (replies.length === 0) return DECLARATION + '<Response/>';
  let xml = DECLARATION + '<Response>';
  replies.forEach((text, i) => {
    const body = escapeText(text.replace(NOT_XML, ''));
    const mediaUrl = media[i];
    xml += mediaUrl
      ? '<Message>' + element('Body', body) + element('Media', escapeText(legalUrl(mediaUrl))) + '</Message>'
      : element('Message', body);
  });
  return xml + '</Response>';
}

/** An element holding escaped text; empty, it closes itself, as xmlbuilder writes it. */
function element(name: string, escaped: string): string {
  return escaped === '' ? `<${name}/>` : `<${name}>${escaped}</${name}>`;
}

function escapeText(text: string): string {
  if (!TO_ESCAPE.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

// A picture's URL is ours (PUBLIC_URL + a path), never a sender's: one XML cannot carry is a bug,
// refused as the builder refused it, rather than silently changed into another address.
function legalUrl(url: string): string {
  if (HAS_NOT_XML.test(url))
    throw new Error(`a media URL holds a character XML cannot carry: ${JSON.stringify(url)}`);
  return url;
}
