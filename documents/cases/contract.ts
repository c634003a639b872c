import type { CaseView, NewConnectionDetails } from '../../contracts/cases.js';
import { maskIdNumber } from '../../domain/accounts/view360.js';
import { renderPdf, type PdfDocument } from '../render.js';

const USE_CLASS: Record<string, string> = {
  residential: '居民生活用水',
  non_residential: '非居民用水',
  special: '特种行业用水',
};
const ID_DOC: Record<string, string> = {
  resident_id: '居民身份证',
  passport: '护照',
  business_licence: '营业执照',
  other: '其他证件',
};

/** A date as the contract prints it: China date. */
const chinaDate = (d: Date) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(d);

/** An ID number on paper: the first 4 and last 4 characters, as on the receipt (personal data, DESIGN §5). */

export interface ContractInput {
  caseView: CaseView;
  utilityName: string;
  /** The contract's version (n-th time the step made it); printed so a superseded copy is recognisable. */
  version: number;
  preparedAt: Date;
}

/**
 * The supply contract (供用水合同) of a new connection as a pdfmake document: the parties, the premises and the
 * use class and meter size the case applied for, the usual terms, and an empty signing block — the date is
 * written when both sides sign. Pure: rendering is renderSupplyContract's.
 */
export function supplyContractDocument(input: ContractInput): PdfDocument {
  const c = input.caseView;
  const d = c.details as Partial<NewConnectionDetails>;
  const row = (label: string, value: string) => [{ text: label, bold: true }, { text: value || '—' }];
  const contractNo = `${c.caseNo}-HT${String(input.version).padStart(2, '0')}`;
  const terms = [
    '供水人按国家规定的水质标准向用水人的上述用水地址连续供水；因工程施工、设备检修等需要停水的，供水人应提前通知用水人，紧急抢修除外。',
    '用水计量以供水人安装的水表为准；水表安装在用水地址的计量点，用水人应妥善保护，不得擅自移动、拆卸或改装。',
    '水费按物价主管部门核定的水价，依用水类别和实际用水量计收；用水人应按期缴纳，逾期按规定计收滞纳金。',
    '用水人不得私自接管、转供、改变用水类别；需要变更的，应到供水人营业窗口办理手续。',
    '本合同自双方签字（盖章）之日起生效，至用水人办理销户之日终止。本合同一式两份，双方各执一份。',
  ];
  return {
    info: { title: `供用水合同 ${contractNo}`, subject: c.caseNo },
    content: [
      {
        columns: [
          [
            { text: '供用水合同', fontSize: 20, bold: true },
            { text: `合同编号 ${contractNo}`, margin: [0, 6, 0, 0] },
            { text: `业务编号 ${c.caseNo}`, color: '#555' },
          ],
          { qr: c.caseNo, fit: 80, alignment: 'right' },
        ],
      },
      {
        margin: [0, 14, 0, 0],
        table: {
          widths: [110, '*'],
          body: [
            row('供水人（甲方）', input.utilityName),
            row('用水人（乙方）', c.applicantName),
            row('证件', d.idDocNumber ? `${ID_DOC[d.idDocType ?? 'other'] ?? ''} ${maskIdNumber(d.idDocNumber)}` : ''),
            row('用水地址', c.address),
            row('用水类别', USE_CLASS[d.useClass ?? ''] ?? ''),
            row('水表口径', d.caliberMm ? `DN${d.caliberMm}` : ''),
            row('户号', c.accountNo ?? '开户后填写'),
            row('表册', c.bookCode ?? ''),
          ],
        },
      },
      { text: '合同条款', bold: true, fontSize: 12, margin: [0, 16, 0, 6] },
      { ol: terms, lineHeight: 1.3 },
      {
        margin: [0, 36, 0, 0],
        columns: [
          [
            { text: '供水人（盖章）：' },
            { text: '经办人：', margin: [0, 18, 0, 0] },
            { text: '签订日期：    年    月    日', margin: [0, 18, 0, 0] },
          ],
          [
            { text: '用水人（签字）：' },
            { text: '联系电话：', margin: [0, 18, 0, 0] },
            { text: '签订日期：    年    月    日', margin: [0, 18, 0, 0] },
          ],
        ],
      },
      {
        text: `本合同由业务系统于${chinaDate(input.preparedAt)}生成（第 ${input.version} 版）`,
        fontSize: 8,
        color: '#777',
        margin: [0, 24, 0, 0],
      },
    ],
  };
}

/** The supply contract as PDF bytes. */
export const renderSupplyContract = (input: ContractInput): Promise<Buffer> => renderPdf(supplyContractDocument(input));
