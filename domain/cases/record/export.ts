import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { CaseStatistics } from '../../../contracts/case-record.js';
import { CASE_STATUS_NAMES, CASE_TYPE_NAMES } from './labels.js';

/** Working hours with two decimals (a number a spreadsheet can sum), empty when there is none. */
const hours = (ms: number | null) => (ms === null ? '' : Math.round(ms / 36_000) / 100);
const typeName = (t: string) => CASE_TYPE_NAMES[t as keyof typeof CASE_TYPE_NAMES] ?? t;

/** The statistics as titled tables (the same in CSV sections and spreadsheet sheets). */
export function statisticsTables(s: CaseStatistics): Array<{ title: string; rows: Array<Array<string | number>> }> {
  return [
    {
      title: '按类型和状态',
      rows: [
        ['业务类型', '状态', '件数'],
        ...s.byTypeAndStatus.map((r) => [typeName(r.caseType), CASE_STATUS_NAMES[r.status] ?? r.status, r.count]),
      ],
    },
    {
      title: '每件用时',
      rows: [
        ['业务类型', '办结件数', '平均工作小时', '90%工作小时'],
        ...s.perCase.map((r) => [typeName(r.caseType), r.count, hours(r.avgWorkingMs), hours(r.p90WorkingMs)]),
      ],
    },
    {
      title: '环节用时',
      rows: [
        ['业务类型', '环节', '次数', '平均工作小时', '90%工作小时', '超时次数'],
        ...s.perStep.map((r) => [
          typeName(r.caseType),
          r.name,
          r.count,
          hours(r.avgWorkingMs),
          hours(r.p90WorkingMs),
          r.overdue,
        ]),
      ],
    },
    {
      title: '超时按部门',
      rows: [['部门', '超时环节', '环节数'], ...s.overdueByGroup.map((r) => [r.group, r.overdue, r.steps])],
    },
    {
      title: '超时按人员',
      rows: [['人员', '超时环节', '环节数'], ...s.overdueByPerson.map((r) => [r.person, r.overdue, r.steps])],
    },
    {
      title: '督办按部门',
      rows: [['部门', '督办次数'], ...s.escalationsByGroup.map((r) => [r.group, r.count])],
    },
    {
      title: '按月',
      rows: [
        ['月份', '业务类型', '受理', '办结'],
        ...s.monthly.map((r) => [r.month, typeName(r.caseType), r.opened, r.closed]),
      ],
    },
  ];
}

/** CSV (UTF-8 with a byte-order mark, so Excel opens the Chinese right): one titled section per table. */
export function statisticsCsv(s: CaseStatistics): string {
  const sections = statisticsTables(s).map((t) => stringify([[t.title], ...t.rows]));
  return `\ufeff${sections.join('\r\n')}`;
}

/** The spreadsheet: one sheet per table, header row bold. */
export async function statisticsXlsx(s: CaseStatistics): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Aquaflow';
  for (const t of statisticsTables(s)) {
    const sheet = book.addWorksheet(t.title);
    sheet.addRows(t.rows);
    sheet.getRow(1).font = { bold: true };
    sheet.columns.forEach((col) => (col.width = 16));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
