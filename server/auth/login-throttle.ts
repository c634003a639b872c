/**
 * Login rate limit: after `max` failed sign-ins for one user name from one address within `windowMs`, further
 * attempts are refused until the window has passed. In memory: a restart forgets, which is acceptable for
 * slowing down password guessing (several server processes each keep their own count).
 */
export class LoginThrottle {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 15 * 60 * 1000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed. */
  retryAfter(key: string, now = Date.now()): number {
    const list = this.recent(key, now);
    return list.length >= this.max ? Math.ceil((list[0] + this.windowMs - now) / 1000) : 0;
  }

  failed(key: string, now = Date.now()): void {
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
