import type { CaseView } from '../../contracts/cases.js';
import { maskIdNumber } from '../accounts/view360.js';

/** A phone as the customer 360 masks it for those who need no more: the first 3 and the last 4 digits. */
export const maskPhone = (p: string) => (p.length > 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : p ? '****' : '');

/** A case for a reader who needs no personal data (cashier, auditor): the applicant's phone and ID number masked. */
export function maskedCase<T extends CaseView>(c: T): T {
  const id = c.details.idDocNumber;
  return {
    ...c,
    applicantPhone: maskPhone(c.applicantPhone),
    details: { ...c.details, ...(typeof id === 'string' ? { idDocNumber: maskIdNumber(id) } : {}) },
  };
}
