/**
 * A refusal by the billing domain, shaped like the accounts domain's: `status` follows HTTP (404 unknown,
 * 409 conflict with the current state, 422 malformed input), `field` names the offending input.
 */
export class BillingError extends Error {
  readonly status: 404 | 409 | 422;
  readonly code: string;
  readonly field?: string;
  readonly expose = true;

  constructor(status: 404 | 409 | 422, code: string, message: string, field?: string) {
    super(message);
    this.name = 'BillingError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const notFound = (what: string, key: string | number) =>
  new BillingError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new BillingError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new BillingError(422, 'invalid', `${field}: ${message}`, field);
