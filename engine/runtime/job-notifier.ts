/** A long poll waiting for jobs of one type. */
interface Waiter {
  type: string;
  signaled: boolean;
  wake: (() => void) | null;
}

/**
 * Wakes long-polling job activations as soon as jobs of their type may be activatable: after a
 * local commit that created jobs, on a NOTIFY from another engine process, or on the sweeper
 * returning timed-out / backed-off jobs. No sleeping in between.
 */
export class JobNotifier {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private closed = false;
  private open = 0;
  private drainResolvers: Array<() => void> = [];

  get isClosed(): boolean {
    return this.closed;
  }

  notify(type: string): void {
    for (const w of this.waiters.get(type) ?? []) {
      w.signaled = true;
      w.wake?.();
    }
  }

  /**
   * Runs `attempt` until it returns jobs, the deadline passes or the notifier closes; between
   * attempts it waits for a notification of the type (registered before the first attempt, so a
   * job created while an attempt runs is never missed).
   */
  async poll<T>(type: string, timeoutMs: number, attempt: () => Promise<T[]>, signal?: AbortSignal): Promise<T[]> {
    const w: Waiter = { type, signaled: false, wake: null };
    // A client that went away must not get jobs activated for nobody (they would wait for their deadline).
    const onAbort = () => w.wake?.();
    signal?.addEventListener('abort', onAbort);
    let set = this.waiters.get(type);
    if (!set) this.waiters.set(type, (set = new Set()));
    set.add(w);
    this.open += 1;
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        w.signaled = false;
        if (signal?.aborted) return [];
        const jobs = await attempt();
        if (jobs.length || this.closed || timeoutMs <= 0 || Date.now() >= deadline) return jobs;
        if (!w.signaled) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
            w.wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          w.wake = null;
        }
        if (this.closed || signal?.aborted || Date.now() >= deadline) return [];
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      set.delete(w);
      if (!set.size) this.waiters.delete(type);
      this.open -= 1;
      if (this.open === 0) for (const r of this.drainResolvers.splice(0)) r();
    }
  }

  /** Answers every open long poll (with no jobs) and refuses to wait from now on. */
  close(): void {
    this.closed = true;
    for (const set of this.waiters.values()) for (const w of set) w.wake?.();
  }

  reopen(): void {
    this.closed = false;
  }

  /** Resolves when no poll is in flight any more (bounded, so stop() never hangs). */
  drained(): Promise<void> {
    if (this.open === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 2000);
      this.drainResolvers.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
