import Router from '@koa/router';
import type { Knex } from 'knex';
import { amountInCapitals, formatYuan } from '../../documents/chinese-amount.js';
import { ReceiptsError, ReceiptsService } from '../../domain/receipts/service.js';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STATUS = { valid: '有效', voided: '已作废', replaced: '已补打（以新票号为准）' } as const;

function page(title: string, rows: Array<[string, string]>): string {
  const body = rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><table>${body}</table></body></html>`;
}

/**
 * The page a receipt's QR code opens (`payment_settings.verify_base_url` + token), for anyone holding the paper:
 * whether the receipt stands, its number, date and amount, the account masked — no name, no address. Public,
 * read-only; an unknown or forged token is a plain 404.
 */
export function receiptVerifyRouter(knex: Knex): Router {
  const receipts = new ReceiptsService(knex);
  const router = new Router();
  router.get('/verify/receipt/:token', async (ctx) => {
    try {
      const v = await receipts.verifyReceipt(ctx.params.token);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page(`${v.utility} 收据验证`, [
        ['票号', v.form],
        ['状态', STATUS[v.status]],
        ['开具时间', new Date(v.issuedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })],
        ['金额', `¥${formatYuan(v.amountFen)}（${amountInCapitals(v.amountFen)}）`],
        ['户号', v.accountNo],
        ...(v.reprintOf ? ([['补打自', v.reprintOf]] as Array<[string, string]>) : []),
      ]);
    } catch (err) {
      if (!(err instanceof ReceiptsError) || err.status !== 404) throw err;
      ctx.status = 404;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page('收据验证', [['结果', '查无此收据：请核对二维码或联系供水公司']]);
    }
  });
  return router;
}
