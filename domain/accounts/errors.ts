/**
 * A refusal by the accounts domain. `status` follows HTTP (404 unknown, 409 conflict with the current
 * state, 422 malformed input) so the API can turn it into a problem document and job workers can
 * decide between a BPMN error and a retry; `field` names the offending input where there is one.
 */
export class AccountsError extends Error {
  readonly status: 404 | 409 | 422;
  readonly code: string;
  readonly field?: string;
  /** Koa's convention: the message is meant for the client. */
  readonly expose = true;

  constructor(status: 404 | 409 | 422, code: string, message: string, field?: string) {
    super(message);
    this.name = 'AccountsError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const notFound = (what: string, key: string) =>
  new AccountsError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new AccountsError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new AccountsError(422, 'invalid', `${field}: ${message}`, field);
