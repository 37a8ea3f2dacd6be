/** Words more than one page uses: languages, channels, and what a broadcast's state and reasons mean. */
import type { BroadcastState } from '../../../broadcasts/broadcast.js';
import type { Language } from '../../../content/locale-schema.js';
import type { Channel } from '../../../privacy/phone.js';

export const LANGUAGE_NAMES: Record<Language, string> = { es: 'Español', ay: 'Aymara', qu: 'Quechua' };

export function channelName(channel: Channel): string {
  return channel === 'sms' ? 'SMS' : 'WhatsApp';
}

export const STATES: Record<BroadcastState, string> = {
  scheduled: 'programado',
  sending: 'enviando',
  repeating: 'se repite',
  done: 'terminado',
  cancelled: 'cancelado',
};

/** Why messages did not go (skipped and failed reasons of a broadcast's counts). */
export const REASONS: Record<string, string> = {
  opted_out: 'se dieron de baja (STOP)',
  unknown_learner: 'borraron sus datos',
  outside_window: 'WhatsApp fuera de las 24 horas, sin plantilla',
  no_sender: 'no hay número emisor para su canal',
  cancelled: 'cancelado antes de salir',
  'failed:gave_up_rate_limited': 'Twilio saturado: se dejó de intentar',
  'failed:gave_up_uncertain': 'sin respuesta clara de Twilio',
  'failed:gave_up_error': 'error al enviar',
};

/** What the list of reasons says while there are none. */
export const NO_REASONS = 'ninguno, por ahora';
