// A provider's OAuth access token (Daraja, PayPal): cached until shortly before it expires, fetched by one request
// at a time however many callers wait for it, and dropped when the provider refuses it, so the next caller fetches
// a new one. Each provider supplies only how a token is fetched.

const RENEW_BEFORE_EXPIRY_MS = 60_000;

export interface FetchedToken {
  token: string;
  /** How long the provider says the token lives. */
  lifetimeMs: number;
}

export class AccessTokenCache {
  private cached: { token: string; renewAt: number } | undefined;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => Date,
  ) {}

  /** A valid token: the cached one, the one being fetched, or a new one. Throws what fetching throws. */
  async get(): Promise<string> {
    if (this.cached && this.now().getTime() < this.cached.renewAt) return this.cached.token;
    this.inFlight ??= this.renew().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forgets `token` if it is still the cached one (a newer token fetched meanwhile is kept). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async renew(): Promise<string> {
    const requestedAt = this.now().getTime();
    const { token, lifetimeMs } = await this.fetchToken();
    // Renew a minute early; a very short-lived token, halfway through its life.
    const margin = Math.min(RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 2);
    this.cached = { token, renewAt: requestedAt + lifetimeMs - margin };
    return token;
  }
}
