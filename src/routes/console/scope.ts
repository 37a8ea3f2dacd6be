/**
 * What a console user may do, as one object: `scope(services, viewer)`. Every page and the
 * console's JSON API reach the app's services through it, and nowhere else. An administrator may
 * do everything; a coordinator sees and changes only their own groups and the broadcasts they
 * sent. What is not theirs reads as not found (null), exactly like what does not exist, so ids
 * cannot be probed.
 */
import type { BroadcastService } from '../../broadcasts/broadcast-service.js';
import type { Language } from '../../content/locale-schema.js';
import type { Coordinator, CoordinatorStore } from '../../groups/coordinator-store.js';
import { GROUP_ID_PATTERN, type Group, type GroupStore } from '../../groups/group-store.js';
import { progressCsv } from '../../groups/progress-csv.js';
import type { ProgressReport, ProgressReports } from '../../groups/progress-report.js';
import { maskPhone, parseAddress, type Channel } from '../../privacy/phone.js';
import type { CompletionRecord, CompletionStore } from '../../store/completion-store.js';
import type { SessionStore } from '../../store/session-store.js';
import type { Viewer } from './auth.js';
import type { BroadcastOwners } from './broadcast-owners.js';
import { ViewerBroadcasts, type BroadcastScopeServices, type ScopedBroadcasts } from './scope-broadcasts.js';
import type { TestChat, TestChats } from './test-chats.js';

export interface ConsoleServices {
  groups: GroupStore;
  coordinators: Pick<CoordinatorStore, 'list' | 'isCoordinator' | 'register'>;
  sessions: Pick<SessionStore, 'loadMany'>;
  completions: Pick<CompletionStore, 'find'>;
  progress: ProgressReports;
  /** null when the broadcasts plugin is not registered */
  broadcasts: BroadcastService | null;
  owners: BroadcastOwners;
  chats: TestChats;
  /** an opaque reference to a group member, for forms: never the learner id itself */
  memberRef(groupId: string, learner: string): string;
}

/** A member of a group as the group's page lists them: masked, with what their session says. */
export interface MemberRow {
  ref: string;
  masked: string;
  channel: Channel;
  lang: Language | null;
  lessonsDone: number;
  lastInboundAt: number;
  optedOut: boolean;
}

/** Methods that take a Group take one this scope's `groups.get` or `groups.list` answered. */
export interface Scope {
  viewer: Viewer;
  admin: boolean;
  groups: {
    /** their own, or every coordinator's for an administrator, oldest first */
    list(): Promise<Group[]>;
    get(id: string): Promise<Group | null>;
    count(group: Group): Promise<number>;
    /** null when `coordinator` is not registered (a coordinator's groups are always their own) */
    create(input: { name: string; locale: Language; coordinator: string }): Promise<Group | null>;
    /** newest message first; members whose data is gone are left out */
    members(group: Group): Promise<MemberRow[]>;
    removeMember(group: Group, ref: string): Promise<boolean>;
  };
  coordinators: {
    /** every coordinator for an administrator; none for a coordinator */
    list(): Promise<Coordinator[]>;
    /** administrators only: false for a coordinator */
    register(phone: string, name: string): Promise<boolean>;
  };
  progress: {
    report(groupId: string): Promise<{ group: Group; report: ProgressReport } | null>;
    /** the report as CSV lines, streamed; its quizzes are read before this answers */
    csv(groupId: string): Promise<{ group: Group; lines: AsyncGenerator<string> } | null>;
  };
  completions: { find(code: string): Promise<CompletionRecord | null> };
  /** null when the broadcasts plugin is not registered */
  broadcasts: ScopedBroadcasts | null;
  /** the viewer's own chat with the bot */
  chat: TestChat;
}

const groupIdRegex = new RegExp(GROUP_ID_PATTERN);

export function scope(services: ConsoleServices, viewer: Viewer): Scope {
  const admin = viewer.role === 'admin';
  const groups = scopedGroups(services, viewer);
  return {
    viewer,
    admin,
    groups,
    coordinators: {
      list: async () => (admin ? services.coordinators.list() : []),
      register: async (phone, name) => {
        if (!admin) return false;
        await services.coordinators.register(phone, name);
        return true;
      },
    },
    progress: {
      report: async (groupId) => {
        const group = await groups.get(groupId);
        return group && { group, report: await services.progress.report(group) };
      },
      csv: async (groupId) => {
        const group = await groups.get(groupId);
        if (!group) return null;
        const quizzes = await services.progress.quizzes(group);
        return { group, lines: progressCsv(services.progress, group, quizzes) };
      },
    },
    completions: { find: (code) => services.completions.find(code) },
    broadcasts:
      services.broadcasts &&
      new ViewerBroadcasts(broadcastServices(services, services.broadcasts, groups), viewer),
    chat: services.chats.of(services.owners.ownerOf(viewer)),
  };
}

function broadcastServices(
  services: ConsoleServices,
  broadcasts: BroadcastService,
  groups: Scope['groups'],
): BroadcastScopeServices {
  return { owners: services.owners, groups: services.groups, broadcasts, groupOf: groups.get };
}

function scopedGroups(services: ConsoleServices, viewer: Viewer): Scope['groups'] {
  const store = services.groups;
  return {
    list: async () => {
      if (viewer.role === 'coordinator') return store.listByCoordinator(viewer.phone);
      const coordinators = await services.coordinators.list();
      const lists = await Promise.all(coordinators.map((c) => store.listByCoordinator(c.phone)));
      return lists.flat().sort((a, b) => a.createdAt - b.createdAt);
    },
    get: async (id) => {
      if (!groupIdRegex.test(id)) return null;
      const group = await store.get(id);
      if (!group) return null;
      return viewer.role === 'admin' || group.coordinator === viewer.phone ? group : null;
    },
    count: (group) => store.count(group.id),
    create: async (input) => {
      const coordinator = viewer.role === 'admin' ? input.coordinator : viewer.phone;
      if (!(await services.coordinators.isCoordinator(coordinator))) return null;
      return store.create({ ...input, coordinator });
    },
    members: (group) => memberRows(services, group),
    removeMember: async (group, ref) => {
      for await (const ids of store.members(group.id)) {
        const learner = ids.find((l) => services.memberRef(group.id, l) === ref);
        if (learner) {
          await store.removeMember(group.id, learner);
          return true;
        }
      }
      return false;
    },
  };
}

async function memberRows(services: ConsoleServices, group: Group): Promise<MemberRow[]> {
  const rows: MemberRow[] = [];
  for await (const ids of services.groups.members(group.id)) {
    const sessions = await services.sessions.loadMany(ids);
    ids.forEach((learner, i) => {
      const session = sessions[i];
      const address = session && parseAddress(session.address);
      if (!session || !address) return;
      rows.push({
        ref: services.memberRef(group.id, learner),
        masked: maskPhone(address.phone),
        channel: address.channel,
        lang: session.snapshot.context.lang,
        lessonsDone: Object.keys(session.snapshot.context.done ?? {}).length,
        lastInboundAt: session.lastInboundAt,
        optedOut: session.optedOut,
      });
    });
  }
  return rows.sort((a, b) => b.lastInboundAt - a.lastInboundAt);
}
