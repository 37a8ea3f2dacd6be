/**
 * The broadcasts part of a console user's scope. A coordinator sends only to their own groups and
 * sees and cancels only the broadcasts they sent; an administrator may do everything. The
 * broadcasts service keeps no owner, so every broadcast created here is recorded with its sender
 * (broadcast-owners.ts), and Idempotency-Keys are per sender: one user's key can never replay
 * another's broadcast.
 */
import {
  BroadcastError,
  type BroadcastInput,
  type BroadcastService,
  type CreateResult,
} from '../../broadcasts/broadcast-service.js';
import type { BroadcastTexts } from '../../broadcasts/broadcast.js';
import { broadcastView, type BroadcastView } from '../../broadcasts/broadcast-view.js';
import type { Group, GroupStore } from '../../groups/group-store.js';
import type { Viewer } from './auth.js';
import type { BroadcastOwners, OwnedBroadcast } from './broadcast-owners.js';

export type Created = { ok: true; result: CreateResult } | { ok: false; status: number; error: string };

export interface BroadcastDetail {
  view: BroadcastView;
  texts: Partial<BroadcastTexts>;
  /** who it went to, in words; null for one not sent from the console */
  owned: OwnedBroadcast | null;
}

export interface ScopedBroadcasts {
  create(input: BroadcastInput, idempotencyKey?: string): Promise<Created>;
  view(id: string): Promise<BroadcastView | null>;
  detail(id: string): Promise<BroadcastDetail | null>;
  /** cancels what has not gone yet; the broadcast as it is then */
  cancel(id: string): Promise<BroadcastView | null>;
  /** theirs (every one sent from the console, for an administrator), newest first */
  list(count: number): Promise<{ owned: OwnedBroadcast; view: BroadcastView }[]>;
}

const BROADCAST_ID = /^[0-9a-z]{12}$/;

export interface BroadcastScopeServices {
  owners: BroadcastOwners;
  groups: Pick<GroupStore, 'get'>;
  broadcasts: Pick<BroadcastService, 'create' | 'status' | 'cancel'>;
  /** the group if this viewer may send to it (the scope's groups.get) */
  groupOf(id: string): Promise<Group | null>;
}

export class ViewerBroadcasts implements ScopedBroadcasts {
  private readonly owner: string;

  constructor(
    private readonly services: BroadcastScopeServices,
    private readonly viewer: Viewer,
  ) {
    this.owner = services.owners.ownerOf(viewer);
  }

  async create(input: BroadcastInput, key?: string): Promise<Created> {
    const refused = await this.refusal(input.target);
    if (refused) return refused;
    const options = key ? { idempotencyKey: `console:${this.owner}:${key}`.slice(0, 255) } : {};
    let result: CreateResult;
    try {
      result = await this.services.broadcasts.create(input, options);
    } catch (error) {
      if (error instanceof BroadcastError) return { ok: false, status: error.status, error: error.message };
      throw error;
    }
    await this.remember(result.broadcast.id, input);
    return { ok: true, result };
  }

  async view(id: string): Promise<BroadcastView | null> {
    const status = (await this.allowed(id)) ? await this.services.broadcasts.status(id) : null;
    return status && broadcastView(status);
  }

  async detail(id: string): Promise<BroadcastDetail | null> {
    const status = (await this.allowed(id)) ? await this.services.broadcasts.status(id) : null;
    if (!status) return null;
    const owned = await this.services.owners.get(id);
    return { view: broadcastView(status), texts: status.broadcast.text, owned };
  }

  async cancel(id: string): Promise<BroadcastView | null> {
    const status = (await this.allowed(id)) ? await this.services.broadcasts.cancel(id) : null;
    return status && broadcastView(status);
  }

  async list(count: number): Promise<{ owned: OwnedBroadcast; view: BroadcastView }[]> {
    const owned = await this.services.owners.list(this.viewer, count);
    const statuses = await Promise.all(owned.map((o) => this.services.broadcasts.status(o.id)));
    return owned.flatMap((o, i) => {
      const status = statuses[i];
      return status ? [{ owned: o, view: broadcastView(status) }] : [];
    });
  }

  private async allowed(id: string): Promise<boolean> {
    return BROADCAST_ID.test(id) && (await this.services.owners.allows(this.viewer, id));
  }

  /** Why this viewer may not send to this target, or null. */
  private async refusal(target: BroadcastInput['target']): Promise<Created | null> {
    if (this.viewer.role === 'admin') return null;
    if (!('groups' in target))
      return { ok: false, status: 403, error: 'a coordinator sends only to their own groups: target.groups' };
    for (const id of target.groups) {
      if (!(await this.services.groupOf(id)))
        return { ok: false, status: 422, error: `no group of yours has the id ${id}` };
    }
    return null;
  }

  /** Records who sent it (once: a replayed request finds it recorded). */
  private async remember(id: string, input: BroadcastInput): Promise<void> {
    const { owners, groups } = this.services;
    if (await owners.get(id)) return;
    const names = new Map<string, string>();
    for (const groupId of 'groups' in input.target ? input.target.groups : []) {
      const group = await groups.get(groupId);
      if (group) names.set(groupId, group.name);
    }
    const summary = (input.text.es ?? '').trim().slice(0, 120);
    const target = describeTarget(input.target, names);
    await owners.add({ id, owner: this.owner, createdAt: Date.now(), summary, target });
  }
}

/** Who a broadcast went to, in words, for the console's list. */
export function describeTarget(target: BroadcastInput['target'], groupNames: Map<string, string>): string {
  if ('groups' in target) return target.groups.map((id) => groupNames.get(id) ?? id).join(', ');
  if ('all' in target) return 'todas las personas';
  if ('locale' in target)
    return `quienes usan ${{ es: 'español', ay: 'aymara', qu: 'quechua' }[target.locale]}`;
  if ('notFinished' in target) return `quienes no terminaron ${target.notFinished}`;
  return `quienes no escriben hace ${target.inactiveDays} días`;
}
