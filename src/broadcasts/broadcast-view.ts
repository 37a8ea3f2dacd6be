/**
 * A broadcast as its readers see it: times as ISO 8601 text, the languages with their own text,
 * and notes on the languages that fall back to Spanish. The admin API and the console's JSON API
 * answer these, and the console's pages draw from them.
 */
import type { Language } from '../content/locale-schema.js';
import type { BroadcastState } from './broadcast.js';
import type { BroadcastStatus, CreateResult, OccurrenceStatus } from './broadcast-service.js';

/** Its state and counts as the service reads them; the rest as text. */
export interface BroadcastView extends Pick<
  BroadcastStatus,
  'id' | 'state' | 'counts' | 'skippedReasons' | 'failedReasons'
> {
  target: BroadcastStatus['broadcast']['target'];
  languages: string[];
  origin: string;
  createdAt: string | null;
  sendAt: string | null;
  repeat: { cron: string; until: string | null; tz: string } | null;
  nextAt: string | null;
  occurrences: (Omit<OccurrenceStatus, 'startedAt'> & { startedAt: string | null })[];
}

export interface CreatedView {
  id: string;
  targeted: number;
  state: BroadcastState;
  fallbacks: Language[];
  notes: string[];
  nextAt: string | null;
  /** true when an Idempotency-Key named an earlier one */
  replayed: boolean;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const LANGUAGE_NAMES: Record<Language, string> = { es: 'Spanish', ay: 'Aymara', qu: 'Quechua' };

export function broadcastView(status: BroadcastStatus): BroadcastView {
  const { broadcast } = status;
  return {
    id: status.id,
    state: status.state,
    counts: status.counts,
    skippedReasons: status.skippedReasons,
    failedReasons: status.failedReasons,
    target: broadcast.target,
    languages: Object.keys(broadcast.text),
    origin: broadcast.origin,
    createdAt: iso(broadcast.createdAt),
    sendAt: iso(broadcast.sendAt),
    repeat: broadcast.repeat
      ? { cron: broadcast.repeat.cron, until: iso(broadcast.repeat.until), tz: broadcast.tz }
      : null,
    nextAt: iso(status.nextAt),
    occurrences: status.occurrences.map((o) => ({ ...o, startedAt: iso(o.startedAt) })),
  };
}

export function createdView(result: CreateResult): CreatedView {
  return {
    id: result.broadcast.id,
    targeted: result.broadcast.targeted,
    state: result.state,
    fallbacks: result.fallbacks,
    notes: result.fallbacks.map(
      (lang) => `no ${LANGUAGE_NAMES[lang]} text: ${lang} learners get the Spanish one`,
    ),
    nextAt: iso(result.nextAt),
    replayed: !result.created,
  };
}
