/** The TwiML answer to an inbound message: one <Message> per reply, none to stay silent. */
import twilio from 'twilio';

export function messagingTwiml(replies: string[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const text of replies) response.message(text);
  return response.toString();
}
