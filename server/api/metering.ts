import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import { MAX_IMPORT_LINES } from '../../domain/metering/handheld-import.js';
import { MeteringError, MeteringService } from '../../domain/metering/service.js';
import { CycleInput, parse } from '../../domain/metering/schemas.js';
import type { ChangeContext } from '../../domain/audit/audit.js';
import { requireUser } from '../auth/routes.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { problem } from '../http/problem.js';

/** Meter readers and clerks enter readings (every channel); auditors and managers read. */
export const METERING_WRITERS = ['reader', 'clerk', 'manager', 'admin'];
/** Deciding about a doubtful reading (confirm, correct, estimate) is a clerk's job, not the reader's. */
export const METERING_REVIEWERS = ['clerk', 'manager', 'admin'];
export const METERING_READERS = ['reader', 'clerk', 'manager', 'admin', 'auditor'];
/** Validation rule parameters. */
export const METERING_CONFIGURERS = ['manager', 'admin'];

const me = (ctx: Koa.Context): User => ctx.state.user as User;
const changeContext = (ctx: Koa.Context): ChangeContext => ({ actor: me(ctx).username });
export const requestBody = (ctx: Koa.Context): Record<string, unknown> =>
  ((ctx.request as Koa.Request & { body?: unknown }).body as Record<string, unknown>) ?? {};

export const readingId = (ctx: Koa.Context): number => {
  const id = ctx.params.id;
  if (!/^\d{1,15}$/.test(id)) throw problem(404, 'Not Found', `no ${ctx.path.split('/')[3]} ${id}`);
  return Number(id);
};

/** How often the process looks at the book: minutes or hours as an ISO duration (PT30M, PT1H, …). */
function checkInterval(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'PT1H';
  if (typeof value === 'string' && /^PT\d{1,4}[HM]$/.test(value)) return value;
  throw problem(422, undefined, 'checkInterval: an ISO duration in minutes or hours, e.g. PT1H', {
    field: 'checkInterval',
  });
}

/**
 * /api/metering: readings from every channel (hand entry, phone, remote frames), the clerk's decisions on
 * doubtful readings, book sheets in route order and the validation rules.
 */
export function meteringRouter(knex: Knex, clients?: EngineClients): Router {
  const metering = new MeteringService(knex);
  const router = new Router({ prefix: '/api/metering' });

  router.get('/books', requireUser(...METERING_READERS), async (ctx) => {
    const mine = ctx.query.mine === '1';
    const q = knex('cis.meter_books').orderBy('code').select('code', 'name', 'reader', 'cycle');
    ctx.body = { items: await (mine ? q.where({ reader: me(ctx).username }) : q) };
  });

  router.get('/books/:code/sheet', requireUser(...METERING_READERS), async (ctx) => {
    ctx.body = await metering.sheet(ctx.params.code, String(ctx.query.period ?? ''));
  });

  router.post('/readings', requireUser(...METERING_WRITERS), async (ctx) => {
    const body = requestBody(ctx);
    // Hand entry and the phone page; files and remote frames have their own routes.
    const source = body.source === 'mobile' ? 'mobile' : 'manual';
    ctx.status = 201;
    ctx.body = await metering.record({ ...body, source, externalRef: undefined }, changeContext(ctx));
  });

  router.get('/readings/:id', requireUser(...METERING_READERS), async (ctx) => {
    ctx.body = await metering.get(readingId(ctx));
  });

  router.post('/readings/:id/confirm', requireUser(...METERING_REVIEWERS), async (ctx) => {
    ctx.body = await metering.confirm(readingId(ctx), changeContext(ctx));
  });

  router.post('/readings/:id/correct', requireUser(...METERING_REVIEWERS), async (ctx) => {
    ctx.body = await metering.correct(readingId(ctx), requestBody(ctx), changeContext(ctx));
  });

  /**
   * 更正已接受读数 `{ reading, reason }`: 200 applied (the next reading's consumption follows), 202 when the volume
   * difference is above the configured threshold (`status: needs_approval`, nothing changed yet). `billed: true`
   * with `billId` when the period is already billed: a re-bill is due.
   */
  router.post('/readings/:id/correction', requireUser(...METERING_REVIEWERS), async (ctx) => {
    const correction = await metering.correctAccepted(readingId(ctx), requestBody(ctx), changeContext(ctx));
    ctx.status = correction.status === 'needs_approval' ? 202 : 200;
    ctx.body = correction;
  });

  /** A manager approves (applies) or rejects a correction that waits for approval. */
  for (const decision of ['approve', 'reject'])
    router.post(`/corrections/:id/${decision}`, requireUser(...METERING_CONFIGURERS), async (ctx) => {
      ctx.body = await metering.decideCorrection(readingId(ctx), decision === 'approve', changeContext(ctx));
    });

  router.post('/estimates', requireUser(...METERING_REVIEWERS), async (ctx) => {
    ctx.status = 201;
    ctx.body = await metering.estimate(requestBody(ctx), changeContext(ctx));
  });

  router.get('/accounts/:accountNo/readings', requireUser(...METERING_READERS), async (ctx) => {
    ctx.body = { items: await metering.readingsOf(ctx.params.accountNo) };
  });

  /**
   * 远程抄表: `{ frame: "FE FE 68 10 …" }`, one CJ/T 188 metering answer (201, 200 for a repeat, 422 naming
   * `frame`), or a concentrator's batch `{ frames: [...] }` (up to 1000), answered frame by frame.
   */
  router.post('/remote', requireUser(...METERING_WRITERS), async (ctx) => {
    const body = requestBody(ctx);
    if (Array.isArray(body.frames)) {
      if (body.frames.length === 0 || body.frames.length > 1000)
        throw problem(422, undefined, 'frames: between 1 and 1000 frames', { field: 'frames' });
      const results = [];
      for (const [index, frame] of body.frames.entries()) {
        try {
          const r = await metering.recordRemote({ frame, period: body.period }, changeContext(ctx));
          results.push({ index, status: r.duplicate ? 'duplicate' : 'recorded', reading: r });
        } catch (err) {
          if (!(err instanceof MeteringError)) throw err;
          results.push({ index, status: 'refused', code: err.code, field: err.field, detail: err.message });
        }
      }
      ctx.body = { results };
      return;
    }
    const recorded = await metering.recordRemote({ frame: body.frame, period: body.period }, changeContext(ctx));
    ctx.status = recorded.duplicate ? 200 : 201;
    ctx.body = recorded;
  });

  /** 抄表机: the book as a CSV file for the device (?period=YYYY-MM&encoding=utf-8|gbk|gb18030). */
  router.get('/books/:code/export', requireUser(...METERING_READERS), async (ctx) => {
    const file = await metering.exportBook(ctx.params.code, ctx.query);
    const encoding = ctx.query.encoding === 'gbk' || ctx.query.encoding === 'gb18030' ? ctx.query.encoding : 'utf-8';
    ctx.set('Content-Disposition', `attachment; filename="${file.fileName}"`);
    ctx.type = `text/csv; charset=${encoding}`;
    ctx.body = file.bytes;
  });

  /**
   * Handheld results, step 1: `{ period, bookCode?, fileName, encoding: auto|utf-8|gbk|gb18030, contentBase64 }` → report.
   * A file of more than MAX_IMPORT_LINES lines is a 422 `too_many_lines` whose `limit` names the cap.
   */
  router.post('/imports', requireUser(...METERING_WRITERS), async (ctx) => {
    try {
      ctx.body = await metering.previewImport(requestBody(ctx), changeContext(ctx));
    } catch (err) {
      if (err instanceof MeteringError && err.code === 'too_many_lines')
        throw problem(err.status, undefined, err.message, {
          code: err.code,
          field: err.field,
          limit: MAX_IMPORT_LINES,
        });
      throw err;
    }
    ctx.status = 201;
  });

  router.get('/imports/:id', requireUser(...METERING_READERS), async (ctx) => {
    ctx.body = await metering.getImport(readingId(ctx));
  });

  /** Step 2: the good lines of a previewed file are recorded. */
  router.post('/imports/:id/confirm', requireUser(...METERING_WRITERS), async (ctx) => {
    ctx.body = await metering.confirmImport(readingId(ctx), changeContext(ctx));
  });

  /** Starts meter-reading-cycle for a book by hand: `{ bookCode, period: YYYY-MM, deadline: ISO date-time }`. */
  router.post('/cycles', requireUser(...METERING_REVIEWERS), async (ctx) => {
    if (!clients) throw problem(503, 'Service Unavailable', 'the process engine is not connected');
    const body = requestBody(ctx);
    const v = parse(CycleInput, body);
    const book = await knex('cis.meter_books').where({ code: v.bookCode }).first('id');
    if (!book)
      throw problem(422, undefined, `bookCode: meter book ${v.bookCode} does not exist`, { field: 'bookCode' });
    const started = await clients.forUser(me(ctx).username).createProcessInstance({
      processDefinitionId: 'meter-reading-cycle' as never,
      variables: {
        bookCode: v.bookCode,
        period: v.period.slice(0, 7),
        deadline: new Date(v.deadline).toISOString(),
        checkInterval: checkInterval(body.checkInterval),
      },
    });
    ctx.status = 201;
    ctx.body = { processInstanceKey: String(started.processInstanceKey), bookCode: v.bookCode, period: v.period };
  });

  router.get('/cycles/:id', requireUser(...METERING_READERS), async (ctx) => {
    ctx.body = await metering.getCycle(readingId(ctx));
  });

  /** Time zone, correction approval threshold (m³), rollover shares per caliber: read by all, changed by managers. */
  router.get('/settings', requireUser(...METERING_READERS), async (ctx) => {
    ctx.body = await metering.settings();
  });

  router.put('/settings', requireUser(...METERING_CONFIGURERS), async (ctx) => {
    ctx.body = await metering.updateSettings(requestBody(ctx), changeContext(ctx));
  });

  router.get('/rules', requireUser(...METERING_READERS), async (ctx) => {
    ctx.body = { items: await metering.rules() };
  });

  router.put('/rules/:code', requireUser(...METERING_CONFIGURERS), async (ctx) => {
    ctx.body = await metering.updateRule(ctx.params.code, requestBody(ctx), changeContext(ctx));
  });

  return router;
}
