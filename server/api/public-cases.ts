import Router from '@koa/router';
import type { Knex } from 'knex';
import type { CaseStage, CaseStatus, CaseType } from '../../contracts/cases.js';
import { CasesError, CasesService } from '../../domain/cases/service.js';
import { CaseStages } from '../camunda/case-stage.js';
import type { EngineClients } from '../camunda/clients.js';
import { problem } from '../http/problem.js';

/** What the public status page may know of a case: the stage, never a name, address, phone, amount or person. */
export interface PublicCaseStatus {
  caseNo: string;
  caseType: CaseType;
  stage: CaseStage;
  status: CaseStatus;
  createdAt: string;
  closedAt: string | null;
  stages: Array<{ stage: CaseStage; done: boolean }>;
}

// Tokens are 16 base64url characters (12 random bytes, domain/cases/open.ts): anything else is no case.
const TOKEN = /^[A-Za-z0-9_-]{16}$/;
const NOT_FOUND = 'no case for this link: check the QR code or ask the service counter';

/**
 * Unknown links per client address in a window: guessing 96-bit tokens is hopeless anyway; this keeps a scanner
 * from hammering the database. Kept in memory (per server), bounded.
 */
export class MissLimiter {
  private readonly misses = new Map<string, { count: number; since: number }>();
  constructor(
    private readonly max = 30,
    private readonly windowMs = 10 * 60_000,
  ) {}
  blocked(ip: string, now = Date.now()): boolean {
    const m = this.misses.get(ip);
    return !!m && now - m.since < this.windowMs && m.count >= this.max;
  }
  missed(ip: string, now = Date.now()): void {
    const m = this.misses.get(ip);
    if (!m || now - m.since >= this.windowMs) {
      if (this.misses.size >= 10_000) this.misses.clear();
      this.misses.set(ip, { count: 1, since: now });
    } else m.count++;
  }
}

/**
 * GET /api/public/cases/:token — the status page behind the application receipt's QR code, without sign-in.
 * Keyed by the case's random public token, never by the case number (which is guessable).
 */
export function publicCasesRouter(knex: Knex, clients?: EngineClients, limiter = new MissLimiter()): Router {
  const cases = new CasesService(knex);
  const stages = new CaseStages(() => clients?.service?.());
  const router = new Router({ prefix: '/api/public/cases' });

  router.get('/:token', async (ctx) => {
    if (limiter.blocked(ctx.ip)) throw problem(429, 'Too Many Requests', 'too many unknown links: try again later');
    const token = ctx.params.token;
    const found = TOKEN.test(token)
      ? await cases.publicStatus(token).catch((err) => {
          if (err instanceof CasesError && err.status === 404) return null;
          throw err;
        })
      : null;
    if (!found) {
      limiter.missed(ctx.ip);
      throw problem(404, 'Not Found', NOT_FOUND);
    }
    const info = await stages.of(found);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      caseNo: found.caseNo,
      caseType: found.caseType,
      stage: info.stage,
      status: found.status,
      createdAt: found.createdAt,
      closedAt: found.closedAt,
      stages: info.stages,
    } satisfies PublicCaseStatus;
  });

  return router;
}
