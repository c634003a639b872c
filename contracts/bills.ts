/** A bill as GET /api/billing/bills/:id and the account's bill list show it. */
export interface BillView {
  id: number;
  runId: number | null;
  accountNo: string;
  period: string;
  status: string;
  volume: string;
  ytdVolumeBefore: string;
  /** Negative: a credit bill (a true-up below an estimate). */
  amountFen: number;
  /** The VAT included in the amount: the sum of the lines' vatFen. */
  vatFen: number;
  dueDate: string | null;
  replacesBillId: number | null;
  /** priceFen has one decimal where the price has 厘; vatFen: the tax part of the line's amount. */
  lines: Array<{
    component: string;
    tier: number;
    volume: string;
    priceFen: number;
    amountFen: number;
    vatFen: number;
  }>;
}

/** One bill of a re-bill: the bill asked for, or a later bill of the tier year whose place on the tiers changed. */
export interface RebilledBill {
  billId: number;
  /** YYYY-MM */
  period: string;
  /** The bill that replaces it (in a preview: the one that would). */
  newBillId: number | null;
  oldAmountFen: number;
  newAmountFen: number;
  /** new − old: > 0 the customer owes more, < 0 less. */
  differenceFen: number;
  oldVolume: string;
  newVolume: string;
  oldYtdVolumeBefore: string;
  newYtdVolumeBefore: string;
  /** Re-billed because an earlier month of its tier year changed, not asked for itself. */
  cascaded: boolean;
}

/** POST /api/billing/bills/:id/rebill/preview: what the re-bill would post; confirm with its previewHash. */
export interface RebillPreview {
  billId: number;
  reason: string;
  bills: RebilledBill[];
  totalDifferenceFen: number;
  previewHash: string;
}
