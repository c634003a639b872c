import { DomainError } from '../errors.js';

/** A refusal by the payments domain (see DomainError). */
export class PaymentsError extends DomainError {}

export const notFound = (what: string, key: string | number) =>
  new PaymentsError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new PaymentsError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new PaymentsError(422, 'invalid', `${field}: ${message}`, field);
export const refusals = { conflict, invalid };
