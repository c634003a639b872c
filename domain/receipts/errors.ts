import { DomainError } from '../errors.js';

/** A refusal by the receipts domain (see DomainError). */
export class ReceiptsError extends DomainError {}

export const notFound = (what: string, key: string | number) =>
  new ReceiptsError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new ReceiptsError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new ReceiptsError(422, 'invalid', `${field}: ${message}`, field);
export const refusals = { conflict, invalid };
