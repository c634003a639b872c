import { DomainError } from '../errors.js';

/** A refusal by the billing domain (see DomainError). */
export class BillingError extends DomainError {}

export const notFound = (what: string, key: string | number) =>
  new BillingError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new BillingError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new BillingError(422, 'invalid', `${field}: ${message}`, field);
