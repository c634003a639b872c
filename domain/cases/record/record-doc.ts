import type { CaseRecord } from '../../../contracts/case-record.js';
import {
  CASE_STATUS_NAMES,
  CASE_TYPE_NAMES,
  DOC_KIND_NAMES,
  FEE_ITEM_NAMES,
  FEE_STATE_NAMES,
  PAY_METHOD_NAMES,
  STEP_STATE_NAMES,
  hoursMinutes,
  localTime,
  yuan,
} from './labels.js';

const OVERDUE = '#c0392b';

/**
 * The printed case record (业务档案) as a pdfmake document: the case, its steps (who, start, end, working time
 * against target, overdue in red), escalations, documents, fees and payments. Pure; the record it prints is already
 * masked for the reader's role. Rendering is the caller's.
 */
export function caseRecordDocument(r: CaseRecord, printedAt: Date) {
  const t = (iso: string | null) => localTime(iso, r.timeZone);
  const c = r.case;
  const head = (...cells: string[]) => cells.map((text) => ({ text, bold: true, fillColor: '#eeeeee' }));
  const table = (widths: Array<number | string>, header: string[], rows: unknown[][], empty: string) =>
    rows.length
      ? { table: { headerRows: 1, widths, body: [head(...header), ...rows] }, fontSize: 8, margin: [0, 4, 0, 10] }
      : { text: empty, color: '#777', margin: [0, 4, 0, 10] };
  const row = (label: string, value: string) => [{ text: label, bold: true }, { text: value || '—' }];
  return {
    info: { title: `业务档案 ${c.caseNo}` },
    pageOrientation: 'landscape',
    footer: (page: number, pages: number) => ({
      text: `${c.caseNo}  第 ${page}/${pages} 页  打印于 ${t(printedAt.toISOString())}`,
      alignment: 'center',
      fontSize: 8,
      color: '#777',
    }),
    content: [
      { text: `业务档案 ${c.caseNo}`, fontSize: 16, bold: true },
      {
        margin: [0, 8, 0, 10],
        table: {
          widths: [90, '*', 90, '*'],
          body: [
            [
              ...row('业务类型', CASE_TYPE_NAMES[c.caseType] ?? c.caseType),
              ...row('状态', CASE_STATUS_NAMES[c.status] ?? c.status),
            ],
            [...row('申请人', c.applicantName), ...row('联系电话', c.applicantPhone)],
            [...row('地址', c.address), ...row('户号', c.accountNo ?? '')],
            [...row('受理人', c.createdBy), ...row('受理时间', t(c.createdAt))],
            [...row('办结时间', t(c.closedAt)), ...row('办理结果', c.outcome)],
            [...row('工作用时', hoursMinutes(r.workingMs)), ...row('工作日历', `${r.timeZone}`)],
          ],
        },
      },
      { text: '办理环节', fontSize: 12, bold: true },
      table(
        [18, '*', 60, 60, 78, 78, 50, 40, 34],
        ['序', '环节', '状态', '责任人', '开始', '结束', '工作用时', '时限', '超时'],
        r.steps.map((s, i) => {
          const color = s.overdue ? OVERDUE : undefined;
          return [
            String(i + 1),
            { text: s.name, color },
            STEP_STATE_NAMES[s.state] ?? s.state,
            s.assignee ?? s.candidateGroups.join('、'),
            t(s.startedAt),
            t(s.endedAt),
            { text: hoursMinutes(s.workingMs), color },
            hoursMinutes(s.targetMs),
            { text: s.overdue ? '超时' : s.escalated ? '已督办' : '', color },
          ];
        }),
        '尚无办理环节',
      ),
      { text: '督办记录', fontSize: 12, bold: true },
      table(
        ['*', 120, 120, 100],
        ['环节', '责任人', '责任部门', '督办时间'],
        r.escalations.map((e) => [e.stepName, e.assignee ?? '', e.candidateGroup ?? '', t(e.escalatedAt)]),
        '无督办',
      ),
      { text: '资料', fontSize: 12, bold: true },
      table(
        ['*', 60, 30, '*', 70, 80],
        ['名称', '类别', '版本', '文件', '上传人', '上传时间'],
        r.documents.map((d) => [
          d.title,
          DOC_KIND_NAMES[d.kind] ?? d.kind,
          `v${d.version}`,
          d.fileName,
          d.uploadedBy,
          t(d.uploadedAt),
        ]),
        '无资料',
      ),
      { text: '费用', fontSize: 12, bold: true },
      table(
        ['*', 80, 60, '*', 90],
        ['项目', '金额（元）', '状态', '依据', '核定时间'],
        r.fees.map((f) => [
          FEE_ITEM_NAMES[f.item] ?? f.item,
          { text: yuan(f.amountFen), alignment: 'right' },
          FEE_STATE_NAMES[f.state] ?? f.state,
          f.basis,
          t(f.assessedAt),
        ]),
        '无费用',
      ),
      table(
        [80, 60, '*', 80, 90],
        ['金额（元）', '方式', '流水号', '收费员', '缴费时间'],
        r.payments.map((p) => [
          { text: yuan(p.amountFen), alignment: 'right' },
          PAY_METHOD_NAMES[p.method] ?? p.method,
          p.serial,
          p.cashier,
          t(p.paidAt),
        ]),
        '无缴费',
      ),
    ],
  };
}
