// The one place a twilio REST client is built. TWILIO_API_URL (see docs/architecture.md, contracts) is a base URL
// that replaces `https://*.twilio.com`, so the real client can talk to a local fake Twilio.
//
// The twilio library has no base-URL option: `edge`/`region` only rewrite the hostname inside
// *.twilio.com (BaseTwilio#getHostname). But every REST call, including paging, ends in
// `httpClient.request({ uri })` with an absolute https://<product>.twilio.com/... URI, and the client
// accepts a custom `httpClient` (ClientOpts.httpClient). So we pass a RequestClient subclass that
// rewrites the origin and then defers to the library's own request code (auth, form encoding,
// error handling stay the library's).
import twilio from 'twilio';
// Type-only deep imports (erased at runtime): the namespace types are not re-exported from 'twilio'.
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioHttpResponse from 'twilio/lib/http/response.js';

type TwilioClient = twilio.Twilio;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Base URL replacing https://*.twilio.com, e.g. http://127.0.0.1:4010. Unset or empty: real Twilio. */
  apiUrl?: string | undefined;
  /** Per-request timeout in ms (library default 30 000). */
  timeout?: number;
}

export function createTwilioClient(opts: TwilioClientOptions): TwilioClient {
  const { accountSid, authToken, apiUrl, timeout } = opts;
  if (!apiUrl) {
    return twilio(accountSid, authToken, { timeout });
  }
  return twilio(accountSid, authToken, { httpClient: new ApiUrlRequestClient(apiUrl, { timeout }) });
}

/** A twilio RequestClient that sends requests for https://*.twilio.com to `apiUrl` instead. */
export class ApiUrlRequestClient extends twilio.RequestClient {
  private readonly base: string;

  constructor(apiUrl: string, opts?: RequestClient.RequestClientOptions) {
    super(opts);
    const parsed = new URL(apiUrl); // throws on a malformed TWILIO_API_URL, at startup
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new Error(`TWILIO_API_URL must be an http(s) URL, got ${apiUrl}`);
    }
    if (parsed.search || parsed.hash) {
      throw new Error(`TWILIO_API_URL must not have a query or fragment, got ${apiUrl}`);
    }
    this.base = parsed.href.replace(/\/+$/, '');
  }

  override request<TData>(
    opts: RequestClient.RequestOptions<TData>,
  ): Promise<TwilioHttpResponse.default<TData>> {
    return super.request({ ...opts, uri: this.rewrite(opts.uri) });
  }

  /** https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json → <apiUrl>/2010-04-01/Accounts/AC…/Messages.json */
  rewrite(uri: string): string {
    const url = new URL(uri);
    const isTwilio = url.hostname === 'twilio.com' || url.hostname.endsWith('.twilio.com');
    if (url.protocol !== 'https:' || !isTwilio) return uri;
    return this.base + url.pathname + url.search;
  }
}
