/**
 * A refusal by the repair domain, shaped like the accounts domain's (domain/accounts/errors.ts): `status`
 * follows HTTP (404 unknown, 409 conflict with the current state, 422 malformed input) and `field` names the
 * offending input, so the API answers with a problem document and workers choose a BPMN error or a retry.
 */
export class RepairError extends Error {
  readonly status: 404 | 409 | 422;
  readonly code: string;
  readonly field?: string;
  readonly expose = true;

  constructor(status: 404 | 409 | 422, code: string, message: string, field?: string) {
    super(message);
    this.name = 'RepairError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const notFound = (what: string, key: string | number) =>
  new RepairError(404, 'not_found', `${what} ${key} does not exist`);
export const conflict = (code: string, message: string, field?: string) => new RepairError(409, code, message, field);
export const invalid = (field: string, message: string) =>
  new RepairError(422, 'invalid', `${field}: ${message}`, field);
