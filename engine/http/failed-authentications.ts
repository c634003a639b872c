/**
 * Failed Basic authentications per client address: after `max` within `windowMs`, the address waits out the
 * window (guessing passwords over /v2 is as slow as over the sign-in form). In memory and bounded: the oldest
 * addresses are forgotten first when `maxAddresses` are tracked.
 */
export class FailedAuthentications {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly max = 20,
    private readonly windowMs = 60_000,
    private readonly maxAddresses = 10_000,
  ) {}

  private within(address: string, now: number): number[] {
    const times = (this.recent.get(address) ?? []).filter((t) => now - t < this.windowMs);
    if (!times.length) this.recent.delete(address);
    return times;
  }

  /** Seconds until this address may try again; 0 when it may now. */
  retryAfter(address: string, now = Date.now()): number {
    const times = this.within(address, now);
    return times.length < this.max ? 0 : Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000));
  }

  failed(address: string, now = Date.now()): void {
    const times = this.within(address, now);
    this.recent.delete(address); // re-inserted last: Map order makes the first entry the stalest
    this.recent.set(address, [...times.slice(-this.max), now]);
    if (this.recent.size > this.maxAddresses) this.recent.delete(this.recent.keys().next().value!);
  }
}
