import type { Store } from '../store/pool.js';
import { silentLogger, type Logger } from './logger.js';

export class Runtime {
  readonly log: Logger;
  constructor(readonly store: Store, logger?: Logger) {
    this.log = logger ?? silentLogger;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {
    await this.store.close();
  }
}
