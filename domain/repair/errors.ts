import { DomainError } from '../errors.js';

/** A refusal by the repair domain (see DomainError). */
export class RepairError extends DomainError {}

export const notFound = (what: string, key: string | number) =>
  new RepairError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new RepairError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new RepairError(422, 'invalid', `${field}: ${message}`, field);

/** What domain/transaction.ts needs to refuse in repair's name. */
export const repairRefusals = { conflict, invalid };
