import crypto from 'node:crypto';

/**
 * Remembers, for a short while, user name / password pairs that passed the password check. Basic auth
 * sends the password with every /v2 request and an argon2 check costs tens of milliseconds of CPU: a
 * job worker signed in as a user would spend more on hashing than on its jobs. Kept: a keyed digest of
 * the pair (never the password), successes only, for `ttlMs` — a changed password or a deactivated
 * user is refused at most that long after.
 */
export class VerifiedCredentials {
  private readonly secret = crypto.randomBytes(32);
  /** digest → expiry (ms); Map order is insertion order, so the first entry is the oldest. */
  private readonly verified = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 1000,
  ) {}

  private digest(user: string, password: string): string {
    return crypto.createHmac('sha256', this.secret).update(`${user.length}:${user}`).update(password).digest('base64');
  }

  /** True when the pair passed `verify` within the last ttlMs, else asks `verify` (and remembers a yes). */
  async check(user: string, password: string, verify: () => Promise<boolean>, now = Date.now()): Promise<boolean> {
    const d = this.digest(user, password);
    const until = this.verified.get(d);
    if (until !== undefined && until > now) return true;
    this.verified.delete(d);
    if (!(await verify())) return false;
    if (this.verified.size >= this.max) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(d, now + this.ttlMs);
    return true;
  }
}
