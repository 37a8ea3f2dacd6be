// The Content API (content.twilio.com/v1/Content) of the fake Twilio: create (JSON body), list
// (paged, as the twilio client pages it), fetch and delete, shaped like Twilio's answers.
import { randomBytes } from 'node:crypto';

export interface FakeContent {
  sid: string;
  account_sid: string;
  friendly_name: string;
  language: string;
  variables: Record<string, string>;
  types: Record<string, object>;
  url: string;
  links: Record<string, string>;
  date_created: string;
  date_updated: string;
}

type Answer = { status: number; body: unknown } | null;

const LIST = /^\/v1\/Content$/;
const ONE = /^\/v1\/Content\/(HX[0-9a-f]{32})$/;

/** Content resources, in creation order, and the requests that changed them. */
export class FakeContentApi {
  readonly contents: FakeContent[] = [];
  /** friendly names created and removed, in order (a test reads what a sync did) */
  readonly created: string[] = [];
  readonly removed: string[] = [];

  constructor(private readonly accountSid: () => string) {}

  /** The answer to a Content API request, or null when the path is not the Content API's. */
  handle(method: string, path: string, query: Record<string, string>, rawBody: string): Answer {
    if (LIST.test(path) && method === 'POST') return this.create(rawBody);
    if (LIST.test(path) && method === 'GET') return this.list(query);
    const one = ONE.exec(path);
    if (!one) return null;
    const index = this.contents.findIndex((c) => c.sid === one[1]);
    if (index < 0) return notFound(path);
    if (method === 'GET') return { status: 200, body: this.contents[index] };
    if (method === 'DELETE') {
      const [gone] = this.contents.splice(index, 1);
      if (gone) this.removed.push(gone.friendly_name);
      return { status: 204, body: null };
    }
    return notFound(path);
  }

  reset(): void {
    this.contents.length = 0;
    this.created.length = 0;
    this.removed.length = 0;
  }

  private create(rawBody: string): Answer {
    let body: Partial<FakeContent>;
    try {
      body = JSON.parse(rawBody) as Partial<FakeContent>;
    } catch {
      return error(400, 20001, 'Invalid JSON');
    }
    if (!body.language || !body.types || typeof body.types !== 'object') {
      return error(400, 20001, 'Missing required parameter language or types');
    }
    const sid = `HX${randomBytes(16).toString('hex')}`;
    const now = new Date().toISOString();
    const content: FakeContent = {
      sid,
      account_sid: this.accountSid(),
      friendly_name: body.friendly_name ?? '',
      language: body.language,
      variables: body.variables ?? {},
      types: body.types,
      url: `https://content.twilio.com/v1/Content/${sid}`,
      links: { approval_fetch: `https://content.twilio.com/v1/Content/${sid}/ApprovalRequests` },
      date_created: now,
      date_updated: now,
    };
    this.contents.push(content);
    this.created.push(content.friendly_name);
    return { status: 201, body: content };
  }

  private list(query: Record<string, string>): Answer {
    const size = Math.min(Number(query.PageSize ?? 50) || 50, 1000);
    const page = Number(query.Page ?? 0) || 0;
    const slice = this.contents.slice(page * size, (page + 1) * size);
    const pageUrl = (p: number) => `https://content.twilio.com/v1/Content?PageSize=${size}&Page=${p}`;
    const more = (page + 1) * size < this.contents.length;
    return {
      status: 200,
      body: {
        contents: slice,
        meta: {
          page,
          page_size: size,
          first_page_url: pageUrl(0),
          previous_page_url: page > 0 ? pageUrl(page - 1) : null,
          url: pageUrl(page),
          next_page_url: more ? pageUrl(page + 1) : null,
          key: 'contents',
        },
      },
    };
  }
}

function error(status: number, code: number, message: string): Answer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function notFound(path: string): Answer {
  return error(404, 20404, `The requested resource ${path} was not found`);
}
