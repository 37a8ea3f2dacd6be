/** What every console page is registered with, and how a page finds its viewer's scope. */
import type { FastifyRequest } from 'fastify';
import type { ContentPlace } from '../../i18n/review/review-rows.js';
import type { ContentRuntime } from '../../plugins/content-runtime.js';
import type { ProposalStore } from '../../store/proposal-store.js';
import type { SuggestionStore } from '../../store/suggestion-store.js';
import type { FunnelStore } from '../../store/funnel-store.js';
import type { NudgeStats } from '../../store/nudge-stats.js';
import type { ConsoleAuth, ConsoleSession } from './auth.js';
import type { ConsoleLimits } from './limits.js';
import { scope, type ConsoleServices, type Scope } from './scope.js';
import type { SignIn } from './sign-in.js';
import type { Assets } from './ui/layout.js';

export interface ConsoleContext {
  /** the services behind every viewer's scope */
  services: ConsoleServices;
  /** the course, its texts and the SMS spelling: read-only, the same for every viewer */
  content: Pick<ContentRuntime, 'course' | 'translator' | 'spelling'>;
  /** the Textos page: where the content files are, reviewers' proposals, learners' suggestions */
  review: {
    place: ContentPlace;
    proposals: ProposalStore;
    suggestions: Pick<SuggestionStore, 'forLanguage'>;
  };
  auth: ConsoleAuth;
  signIn: SignIn;
  limits: ConsoleLimits;
  assets: Assets;
  /** the learners' time zone, in which times are shown and typed */
  tz: string;
  /** where learners stop and what nudges did: counters, never who */
  insight: {
    funnel: Pick<FunnelStore, 'read'>;
    nudges: Pick<NudgeStats, 'figures'>;
    clock: () => number;
  };
}

/** The session the sign-in hook found; only routes behind that hook may ask. */
export function sessionOf(request: FastifyRequest): ConsoleSession {
  const session = request.consoleSession;
  if (!session) throw new Error('console route reached without a session');
  return session;
}

/** What the signed-in viewer of this request may do. */
export function scopeOf(context: ConsoleContext, request: FastifyRequest): Scope {
  return scope(context.services, sessionOf(request).viewer);
}
