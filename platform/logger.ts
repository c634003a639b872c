import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { app: 'aquaflow' },
    // Credentials never reach a log line, whichever object carried them.
    redact: ['password', '*.password', 'err.body', 'req.headers.authorization', 'req.headers.cookie'],
  });
}
