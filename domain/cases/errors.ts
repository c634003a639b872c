import { DomainError } from '../errors.js';

/** A refusal by the cases domain (see DomainError). */
export class CasesError extends DomainError {}

export const notFound = (what: string, key: string | number) =>
  new CasesError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new CasesError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new CasesError(422, 'invalid', `${field}: ${message}`, field);

/** What domain/transaction.ts needs to refuse in the cases' name. */
export const casesRefusals = { conflict, invalid };
