/**
 * Who may do what (DESIGN §5). Every /api route names one of these lists; auditors appear only in read lists.
 * User-task candidate groups are role names, so the task workers are every role that does work.
 */
export const TASK_WORKERS = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'admin'];
/** Assign tasks to colleagues, deploy diagrams, retry incidents. */
export const MANAGERS = ['manager', 'admin'];
/** Read processes, instances, timelines and incidents. */
export const OVERSIGHT = ['manager', 'admin', 'auditor'];
/** Every role may read tasks (auditors too); the list is here so that routes name it explicitly. */
export const EVERY_ROLE = [...TASK_WORKERS, 'auditor'];
/** Repair service (M8): the call centre takes tickets; everyone on the way reads them; crews work their orders. */
export const REPAIR_INTAKE = ['clerk', 'manager', 'admin'];
export const REPAIR_READERS = ['clerk', 'dispatcher', 'crew', 'manager', 'admin', 'auditor'];
/** Printing a work order logs the print, so it is a change: not for auditors. */
export const REPAIR_PRINTERS = ['dispatcher', 'crew', 'manager', 'admin'];
export const REPAIR_FIELD = ['crew', 'manager', 'admin'];
export const REPAIR_DISPATCHERS = ['dispatcher', 'manager', 'admin'];
export const REPAIR_REPORTS = ['dispatcher', 'manager', 'admin', 'auditor'];
/** Billing (M2/M3): who reads runs and bills, who corrects bills (re-bill, reversal); tariffs and runs are MANAGERS'. */
export const BILLING_READERS = ['clerk', 'cashier', 'manager', 'admin', 'auditor'];
export const BILLING_CLERKS = ['clerk', 'manager', 'admin'];
/**
 * Payments (M3): money at the counter is taken, reversed the same day and handed over (日结) by cashiers only —
 * a till and a day to close belong to one person; managers approve what falls outside the cashier's own day.
 */
export const PAYMENT_CASHIERS = ['cashier'];
/** Who sees an account as the counter does (debts with their lines, credit, last payments). */
export const PAYMENT_READERS = ['clerk', 'cashier', 'manager', 'admin', 'auditor'];
/** Who asks a manager to approve a reversal (the cashier, or a manager on a customer's complaint). */
export const REVERSAL_REQUESTERS = ['cashier', 'manager'];
/** Who takes a customer's request to refund prepaid credit (退费); a manager approves it. */
export const REFUND_REQUESTERS = ['cashier', 'clerk'];
/** Every cashier's day as closed: managers check it, auditors read it. */
export const CLOSE_READERS = ['manager', 'admin', 'auditor'];
/** Receipts (M4): cashiers print on the forms they hold; managers keep the stock; auditors read it. */
export const RECEIPT_CASHIERS = ['cashier'];
export const RECEIPT_READERS = ['cashier', 'manager', 'admin', 'auditor'];
export const RECEIPT_STOCK_KEEPERS = ['manager', 'admin'];
/** Who asks for a form to be voided (作废); a manager approves it in receipt-void. */
export const RECEIPT_VOID_REQUESTERS = ['cashier', 'manager'];

/**
 * Business-development cases (M7): the front desk (clerk) takes every application; engineers (survey, design,
 * works, inspection) open inspections and shut-offs from the field; managers approve; auditors read.
 */
export const CASE_INTAKE = ['clerk', 'engineer', 'manager', 'admin'];
export const CASE_READERS = ['clerk', 'cashier', 'engineer', 'manager', 'admin', 'auditor'];
/** Who reads an applicant's phone, ID number and scanned ID in full: the front desk and the engineers on site. */
export const CASE_PERSONAL_DATA = ['clerk', 'engineer', 'manager', 'admin'];
