import QRCode from 'qrcode';
import type { CaseType } from '../../contracts/cases.js';
import { renderPdf, type PdfDocument } from '../render.js';

/** Printed labels: the receipt is a Chinese document handed over the counter, as the utility's other paper is. */
export const CASE_TYPE_LABELS: Record<CaseType, string> = {
  'new-connection': '新装用水',
  relocation: '水表搬迁',
  'water-shutoff-approval': '停水审批',
  'water-use-inspection': '用水监察',
  'transfer-case': '过户',
  'suspension-case': '报停',
};

const USE_CLASS: Record<string, string> = {
  residential: '居民生活用水',
  non_residential: '非居民用水',
  special: '特种用水',
};

/** What the customer still has to bring (or show the surveyor), per type: short, the front desk says the rest. */
export const DOCUMENTS_TO_BRING: Record<CaseType, string[]> = {
  'new-connection': [
    '申请人身份证件原件及复印件（单位提供营业执照复印件并加盖公章）',
    '房屋产权证明或租赁合同',
    '非居民用水：用水设施平面图及用水量说明',
  ],
  relocation: ['户主身份证件原件', '搬迁位置说明（必要时附规划许可）'],
  'transfer-case': ['原户主及新户主身份证件原件', '房屋产权变更证明', '结清水费的凭证'],
  'suspension-case': ['户主身份证件原件', '报停申请书（签字）'],
  'water-shutoff-approval': ['停水范围示意图', '施工方案'],
  'water-use-inspection': [],
};

export interface ApplicationReceipt {
  utility: string;
  caseNo: string;
  caseType: CaseType;
  createdAt: string;
  applicantName: string;
  address: string;
  accountNo: string | null;
  details: Record<string, unknown>;
  /** The public status page of this case (the QR code's content). */
  statusUrl: string;
}

const chinaDate = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));

/** 申请事项: the type and the few intake facts that say what was asked for. */
export function appliedFor(r: Pick<ApplicationReceipt, 'caseType' | 'details' | 'accountNo'>): string {
  const d = r.details;
  const parts = [CASE_TYPE_LABELS[r.caseType]];
  if (r.accountNo) parts.push(`户号 ${r.accountNo}`);
  if (typeof d.useClass === 'string') parts.push(USE_CLASS[d.useClass] ?? d.useClass);
  if (typeof d.caliberMm === 'number') parts.push(`申请表径 DN${d.caliberMm}`);
  if (typeof d.householdSize === 'number') parts.push(`用水人口 ${d.householdSize} 人`);
  if (d.kind === 'planned' || d.kind === 'emergency') parts.push(d.kind === 'planned' ? '计划停水' : '紧急停水');
  if (typeof d.startAt === 'string' && typeof d.endAt === 'string')
    parts.push(`${chinaDate(d.startAt)} 至 ${chinaDate(d.endAt)}`);
  return parts.join('，');
}

/** The receipt as a pdfmake document; `qr` is the PNG data URL of the status link. Pure. */
export function applicationReceiptDocument(r: ApplicationReceipt, qr: string): PdfDocument {
  const row = (label: string, value: string) => [{ text: label, bold: true }, { text: value || '—' }];
  const bring = DOCUMENTS_TO_BRING[r.caseType];
  return {
    pageSize: 'A5',
    pageMargins: [32, 32, 32, 32],
    info: { title: `业务受理回执 ${r.caseNo}`, creator: 'Aquaflow' },
    content: [
      {
        columns: [
          [
            { text: r.utility, color: '#555' },
            { text: '业务受理回执', fontSize: 18, bold: true, margin: [0, 2, 0, 0] },
            { text: `受理编号 ${r.caseNo}`, fontSize: 13, margin: [0, 6, 0, 0] },
          ],
          { image: qr, width: 96, alignment: 'right' },
        ],
      },
      {
        margin: [0, 12, 0, 0],
        table: {
          widths: [72, '*'],
          body: [
            row('业务类型', CASE_TYPE_LABELS[r.caseType]),
            row('受理时间', chinaDate(r.createdAt)),
            row('申请人', r.applicantName),
            row('用水地址', r.address),
            row('申请事项', appliedFor(r)),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      ...(bring.length
        ? [
            { text: '请补交或现场出示以下材料：', bold: true, margin: [0, 12, 0, 4] },
            { ol: bring, margin: [8, 0, 0, 0] },
          ]
        : []),
      { text: '扫描右上角二维码或访问以下地址查询办理进度：', margin: [0, 14, 0, 2] },
      { text: r.statusUrl, fontSize: 8, color: '#333' },
      {
        text: '进度查询页面只显示办理环节，不显示个人信息。请妥善保管本回执。',
        fontSize: 8,
        color: '#777',
        margin: [0, 10, 0, 0],
      },
    ],
  };
}

// A PNG as the payment receipts print it (documents/receipt-pdf.ts): medium error correction survives a fold.
export const statusQr = (url: string) => QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, width: 240 });

/** 受理回执 as PDF bytes. */
export async function renderApplicationReceipt(r: ApplicationReceipt): Promise<Buffer> {
  return renderPdf(applicationReceiptDocument(r, await statusQr(r.statusUrl)));
}
