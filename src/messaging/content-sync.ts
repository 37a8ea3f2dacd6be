/**
 * Makes Twilio's Content resources match a list of wanted ones, through the real twilio client
 * (client.content.v1.contents): a resource is found by its friendly name and reused when its
 * language, variables and types are the same; a changed one is removed and created again (the
 * Content API cannot change a resource's types); one under our prefix that is no longer wanted is
 * removed. Resources with other names are never touched.
 */
import { isDeepStrictEqual } from 'node:util';
import type twilio from 'twilio';
import type { ContentInstance } from 'twilio/lib/rest/content/v1/content.js';

export interface WantedContent {
  name: string;
  language: string;
  variables: Record<string, string>;
  types: Record<string, object>;
}

export interface ContentSyncResult {
  created: string[];
  reused: string[];
  removed: string[];
  /** friendly name -> ContentSid, for every wanted resource */
  sids: Record<string, string>;
}

export async function syncContent(
  client: twilio.Twilio,
  wanted: readonly WantedContent[],
  ownedPrefix: string,
): Promise<ContentSyncResult> {
  const result: ContentSyncResult = { created: [], reused: [], removed: [], sids: {} };
  const existing = new Map<string, ContentInstance[]>();
  for (const each of await client.content.v1.contents.list({ pageSize: 1000 })) {
    if (!each.friendlyName.startsWith(ownedPrefix)) continue;
    existing.set(each.friendlyName, [...(existing.get(each.friendlyName) ?? []), each]);
  }
  const wantedNames = new Set(wanted.map((w) => w.name));
  for (const want of wanted) {
    const found = existing.get(want.name) ?? [];
    const same = found.find((instance) => isSame(instance, want));
    for (const old of found.filter((instance) => instance !== same)) {
      await client.content.v1.contents(old.sid).remove();
      result.removed.push(want.name);
    }
    if (same) {
      result.reused.push(want.name);
      result.sids[want.name] = same.sid;
      continue;
    }
    const made = await client.content.v1.contents.create(createRequest(want));
    result.created.push(want.name);
    result.sids[want.name] = made.sid;
  }
  for (const [name, instances] of existing) {
    if (wantedNames.has(name)) continue;
    for (const old of instances) {
      await client.content.v1.contents(old.sid).remove();
      result.removed.push(name);
    }
  }
  return result;
}

function isSame(instance: ContentInstance, want: WantedContent): boolean {
  return (
    instance.language === want.language &&
    isDeepStrictEqual(instance.variables ?? {}, want.variables) &&
    isDeepStrictEqual(instance.types, want.types)
  );
}

/**
 * The create body as Twilio's Content API reads it: snake_case `friendly_name`. The library's
 * ContentCreateRequest type says `friendlyName`, but the library sends the object as JSON
 * unchanged, and the API ignores a camelCase name.
 */
function createRequest(
  want: WantedContent,
): Parameters<twilio.Twilio['content']['v1']['contents']['create']>[0] {
  const body = {
    friendly_name: want.name,
    language: want.language,
    variables: want.variables,
    types: want.types,
  };
  return body as unknown as Parameters<twilio.Twilio['content']['v1']['contents']['create']>[0];
}
