/** The engine's one clock. Pinnable for tests (Camunda's /v2/clock); behaviours never call Date.now(). */
export class Clock {
  private pinned: number | null = null;
  private offset = 0;

  now(): Date {
    return new Date(this.pinned ?? Date.now() + this.offset);
  }

  pin(epochMs: number): void {
    this.pinned = epochMs;
  }

  reset(): void {
    this.pinned = null;
    this.offset = 0;
  }

  get isPinned(): boolean {
    return this.pinned !== null;
  }
}
