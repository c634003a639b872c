import { DomainError } from '../errors.js';

/** A refusal by the metering domain (see DomainError). */
export class MeteringError extends DomainError {}

export const notFound = (what: string, key: string | number) =>
  new MeteringError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new MeteringError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new MeteringError(422, 'invalid', `${field}: ${message}`, field);

/** What domain/transaction.ts needs to refuse in metering's name. */
export const meteringRefusals = { conflict, invalid };
