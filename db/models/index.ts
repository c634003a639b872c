export { Account } from './account.js';
export { Customer, CustomerPhone } from './customer.js';
export { Premise } from './premise.js';
export { MeterBook } from './meter-book.js';
export { Meter, MeterReplacement } from './meter.js';
export { Certificate } from './certificate.js';
export { LedgerEntry } from './ledger-entry.js';
export { AuditEntry } from './audit-entry.js';
