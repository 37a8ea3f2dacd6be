/**
 * The one call that sends: a planned message as Twilio's messages.create parameters, from our
 * sender number or Messaging Service, as free text or an approved template, with the status
 * callback that feeds the delivery log.
 */
import type twilio from 'twilio';
import type {
  MessageInstance,
  MessageListInstanceCreateOptions,
} from 'twilio/lib/rest/api/v2010/account/message.js';
import type { SendPlan } from './send-plan.js';

export function createMessage(
  client: twilio.Twilio,
  plan: SendPlan,
  statusCallbackUrl: string | undefined,
): Promise<MessageInstance> {
  return client.messages.create(createParams(plan, statusCallbackUrl));
}

function createParams(
  plan: SendPlan,
  statusCallbackUrl: string | undefined,
): MessageListInstanceCreateOptions {
  const params: MessageListInstanceCreateOptions = { to: plan.to };
  if (plan.sender.from) params.from = plan.sender.from;
  else params.messagingServiceSid = plan.sender.messagingServiceSid;
  if ('body' in plan.content) {
    if (plan.content.body) params.body = plan.content.body;
    if (plan.content.mediaUrl) params.mediaUrl = [plan.content.mediaUrl];
  } else {
    params.contentSid = plan.content.template.contentSid;
    params.contentVariables = JSON.stringify(plan.content.template.variables ?? {});
  }
  if (statusCallbackUrl) params.statusCallback = statusCallbackUrl;
  return params;
}
