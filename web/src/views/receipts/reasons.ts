import { useI18n } from 'vue-i18n';

// The reasons domain/receipts writes into a form's history are English sentences of a fixed shape (stock.ts,
// issue.ts, forms.ts VOID_*); a person's own words (a void or loss reason) follow some of them. Each shape is
// said again in the reader's language; anything else is a person's words and shows as typed.
const SHAPES: Array<[RegExp, string, string[]]> = [
  [/^received in block (\d+)$/, 'received', ['block']],
  [/^issued to (.+)$/, 'issued', ['cashier']],
  [/^returned by (.+)$/, 'returned', ['cashier']],
  [/^reprint of (.+), batch (.+)$/, 'reprintOf', ['form', 'batch']],
  [/^receipt of batch (.+)$/, 'receiptOf', ['batch']],
  [/^reprinted on (.+)$/, 'reprintedOn', ['form']],
  [/^print failed$/, 'printFailed', []],
  [/^void requested: (.*)$/s, 'voidRequested', ['reason']],
  [/^void refused: (.*)$/s, 'voidRefused', ['reason']],
  [/^void approved: (.*)$/s, 'voidApproved', ['reason']],
];

export function useReasonText() {
  const { t } = useI18n();
  return (reason: string | null | undefined): string => {
    if (!reason) return '';
    for (const [shape, key, names] of SHAPES) {
      const m = shape.exec(reason);
      if (m) return t(`payments.receipts.reasonText.${key}`, Object.fromEntries(names.map((n, i) => [n, m[i + 1]])));
    }
    return reason;
  };
}
