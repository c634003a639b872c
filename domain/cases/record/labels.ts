import type { CaseType } from '../../../contracts/cases.js';

/** The printed words (PDF, CSV, spreadsheet) of the case record: Chinese, the utility's working language. */
export const CASE_TYPE_NAMES: Record<CaseType, string> = {
  'new-connection': '新装用水',
  relocation: '搬迁',
  'water-shutoff-approval': '停水审批',
  'water-use-inspection': '用水监察',
  'transfer-case': '过户',
  'suspension-case': '暂停用水',
};

export const CASE_STATUS_NAMES: Record<string, string> = {
  open: '办理中',
  completed: '已办结',
  rejected: '未通过',
  cancelled: '已撤销',
};

export const STEP_STATE_NAMES: Record<string, string> = { ACTIVE: '进行中', COMPLETED: '已完成', TERMINATED: '已终止' };

export const FEE_ITEM_NAMES: Record<string, string> = { connection_fee: '接水费', works_fee: '工程费' };
export const FEE_STATE_NAMES: Record<string, string> = { due: '待缴', paid: '已缴' };
export const PAY_METHOD_NAMES: Record<string, string> = {
  cash: '现金',
  card: '银行卡',
  qr: '扫码',
  cheque: '支票',
  transfer: '转账',
};
export const DOC_KIND_NAMES: Record<string, string> = {
  drawing: '图纸',
  budget: '预算',
  requisition: '领料单',
  photo: '照片',
  contract: '合同',
  id_scan: '证件扫描',
  other: '其他',
};

/** Working time as hours and minutes: "3小时30分", "45分", "0分". */
export function hoursMinutes(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}小时${m ? `${m}分` : ''}` : `${m}分`;
}

/** Yuan with two decimals from integer fen. */
export const yuan = (fen: number) =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/** A time in the utility's zone, to the minute: "2026-12-07 09:30". */
export function localTime(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
