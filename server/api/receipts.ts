import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import type { BatchReceipt, FormTypeListItem, ReceiptDocument, Reprint } from '../../contracts/receipts.js';
import { DEFAULT_LAYOUTS, renderReceipt } from '../../documents/receipt-pdf.js';
import { ReceiptsService } from '../../domain/receipts/service.js';
import { RECEIPT_CASHIERS, RECEIPT_READERS, RECEIPT_STOCK_KEEPERS, RECEIPT_VOID_REQUESTERS } from '../auth/roles.js';
import { requireUser } from '../auth/routes.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { engineProblem, engineStatus } from '../camunda/errors.js';
import { problem } from '../http/problem.js';
import { issueEInvoice } from '../../documents/einvoice/utility.js';
import type { EInvoiceProvider } from '../../documents/einvoice/index.js';

/** The calibration sheet prints field names at their positions; the document only names the sheet. */
const calibrationDoc = (formType: string): ReceiptDocument => ({
  formType,
  series: '',
  formNo: 'CALIBRATION',
  issuedAt: new Date().toISOString(),
  utility: '',
  cashier: '',
  accountNo: '',
  customerName: '',
  address: '',
  method: 'cash',
  amountFen: 0,
  creditAfterFen: 0,
  lines: [],
  verifyUrl: '',
});

const receiptIdOf = (raw: string): number => {
  if (!/^\d{1,15}$/.test(raw)) throw problem(404, 'Not Found', `no receipt ${raw}`);
  return Number(raw);
};

/**
 * /api/receipts: the receipt stock (票据, M4) and the receipts printed on it. Stock keepers (managers) receive
 * numbered blocks, hand ranges to cashiers and take them back; cashiers print the receipt of a posted payment
 * on their next form (and again on the next one when printing failed); voiding a form goes through the
 * `receipt-void` approval. Customers who want an e-invoice (数电发票) get one from the configured provider.
 */
export function receiptsRouter(
  knex: Knex,
  clients: EngineClients | undefined,
  provider: () => Promise<EInvoiceProvider>,
): Router {
  const receipts = new ReceiptsService(knex);
  const router = new Router({ prefix: '/api/receipts' });
  const me = (ctx: Koa.Context) => ctx.state.user as User;
  const change = (ctx: Koa.Context) => ({ actor: me(ctx).username });
  const body = (ctx: Koa.Context): Record<string, unknown> =>
    ((ctx.request as Koa.Request & { body?: unknown }).body as Record<string, unknown>) ?? {};
  const pdfUrl = (receiptId: number) => `/api/receipts/${receiptId}/pdf`;

  // Printing: the batch's receipt on the cashier's next form, and the e-invoice where the customer wants one.
  router.post('/batches/:batch', requireUser(...RECEIPT_CASHIERS), async (ctx) => {
    const batch = ctx.params.batch;
    const preference = await receipts.receiptPreference(batch);
    const paper =
      preference === 'einvoice'
        ? null
        : await receipts.issueReceipt(batch, { formType: body(ctx).formType, cashier: me(ctx).username }, change(ctx));
    let einvoice: BatchReceipt['einvoice'] = null;
    let einvoiceError: string | null = null;
    if (preference !== 'paper') {
      const existing = await receipts.einvoicesOfBatch(batch);
      einvoice = existing.find((e) => e.status === 'issued') ?? null;
      const doc = paper?.document ?? (await receipts.documentOfBatch(batch, me(ctx).username));
      if (!einvoice && doc.lines.some((l) => l.amountFen > 0 && l.kind !== 'credit'))
        try {
          einvoice = await issueEInvoice(receipts, await provider(), batch, doc, me(ctx).username);
        } catch (err) {
          einvoiceError = err instanceof Error ? err.message : String(err);
          ctx.state.log?.error({ err, batch }, 'e-invoice not issued');
        }
    }
    const answer: BatchReceipt = {
      receiptId: paper?.receiptId ?? null,
      formType: paper?.formType ?? null,
      series: paper?.series ?? null,
      formNo: paper?.formNo ?? null,
      pdfUrl: paper ? pdfUrl(paper.receiptId) : null,
      preference,
      einvoice,
      einvoiceError,
    };
    ctx.status = 201;
    ctx.body = answer;
  });

  router.get('/:id/pdf', requireUser(...RECEIPT_READERS), async (ctx) => {
    const r = await receipts.getReceipt(receiptIdOf(ctx.params.id));
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `inline; filename="receipt-${r.formType}${r.series}${r.formNo}.pdf"`);
    ctx.body = await renderReceipt(r.document, r.layout ?? DEFAULT_LAYOUTS[r.kind]);
  });

  router.post('/:id/print-failed', requireUser(...RECEIPT_CASHIERS), async (ctx) => {
    const r = await receipts.printFailed(receiptIdOf(ctx.params.id), change(ctx));
    const answer: Reprint = {
      failed: r.failed,
      receiptId: r.reprint.receiptId,
      formType: r.reprint.formType,
      series: r.reprint.series,
      formNo: r.reprint.formNo,
      pdfUrl: pdfUrl(r.reprint.receiptId),
    };
    ctx.body = answer;
  });

  // Stock
  router.get('/stock/me', requireUser(...RECEIPT_CASHIERS), async (ctx) => {
    ctx.body = await receipts.cashierStock(me(ctx).username);
  });
  router.get('/forms', requireUser(...RECEIPT_READERS), async (ctx) => {
    ctx.body = await receipts.listForms(ctx.query);
  });
  router.get('/forms/counts', requireUser(...RECEIPT_READERS), async (ctx) => {
    ctx.body = { items: await receipts.countForms(ctx.query) };
  });
  router.get('/forms/:formType/:series/:formNo/history', requireUser(...RECEIPT_READERS), async (ctx) => {
    // '-' names the empty series (the 'E' e-receipt stock has none), which a path segment cannot be.
    const series = ctx.params.series === '-' ? '' : ctx.params.series;
    ctx.body = await receipts.formHistory({ ...ctx.params, series });
  });
  router.post('/blocks', requireUser(...RECEIPT_STOCK_KEEPERS), async (ctx) => {
    ctx.status = 201;
    ctx.body = await receipts.receiveBlock(body(ctx), change(ctx));
  });
  router.post('/issue', requireUser(...RECEIPT_STOCK_KEEPERS), async (ctx) => {
    ctx.body = await receipts.issueRange(body(ctx), change(ctx));
  });
  router.post('/return', requireUser(...RECEIPT_STOCK_KEEPERS), async (ctx) => {
    ctx.body = await receipts.returnRange(body(ctx), change(ctx));
  });
  router.post('/lost', requireUser(...RECEIPT_STOCK_KEEPERS), async (ctx) => {
    ctx.body = await receipts.markLost(body(ctx), change(ctx));
  });

  // 作废: the request is recorded (and checked) first, then the manager's approval is started as the requester.
  router.post('/void-requests', requireUser(...RECEIPT_VOID_REQUESTERS), async (ctx) => {
    if (!clients) throw problem(503, 'Service Unavailable', 'the process engine is not connected');
    const { formType, series, formNo, reason } = body(ctx);
    const form = { formType, series, formNo };
    const requested = await receipts.requestVoid(form, reason, change(ctx));
    try {
      const started = await clients.forUser(me(ctx).username).createProcessInstance({
        processDefinitionId: 'receipt-void' as never,
        variables: { ...form, form: requested.form, reason: requested.reason, requestedBy: me(ctx).username },
      });
      ctx.status = 201;
      ctx.body = { ...requested, processInstanceKey: String(started.processInstanceKey) };
    } catch (err) {
      // The approval could not start: the request is withdrawn, so the form is not left waiting for nobody.
      await receipts.decideVoid(form, false, change(ctx), 'approval not started');
      if (engineStatus(err) === 403)
        throw problem(403, 'Forbidden', `${me(ctx).username} may not start receipt-void`, { code: 'engine-forbidden' });
      throw engineProblem(err, { 404: 'the receipt-void process is not deployed' });
    }
  });

  // Layouts per form type (套打 positions in millimetres) and the calibration sheet to check them on paper.
  router.get('/form-types', requireUser(...RECEIPT_READERS), async (ctx) => {
    // The layout editor starts from the positions the type prints with now, its kind's default until calibrated.
    const items: FormTypeListItem[] = (await receipts.listFormTypes()).map((t) => ({
      ...t,
      effectiveLayout: t.layout ?? DEFAULT_LAYOUTS[t.kind],
    }));
    ctx.body = { items };
  });
  router.put('/form-types/:code/layout', requireUser(...RECEIPT_STOCK_KEEPERS), async (ctx) => {
    ctx.body = await receipts.setLayout(ctx.params.code, body(ctx), change(ctx));
  });
  router.get('/form-types/:code/calibration.pdf', requireUser(...RECEIPT_READERS), async (ctx) => {
    const t = await receipts.getFormType(ctx.params.code);
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `inline; filename="calibration-${t.code}.pdf"`);
    ctx.body = await renderReceipt(calibrationDoc(t.code), t.layout ?? DEFAULT_LAYOUTS[t.kind], { calibration: true });
  });
  return router;
}
