import { DomainError } from '../errors.js';

/** A refusal by the accounts domain (see DomainError). */
export class AccountsError extends DomainError {}

export const notFound = (what: string, key: string) =>
  new AccountsError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new AccountsError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new AccountsError(422, 'invalid', `${field}: ${message}`, field);

/** What domain/transaction.ts needs to refuse in accounts' name. */
export const accountsRefusals = { conflict, invalid };
