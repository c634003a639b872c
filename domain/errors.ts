/**
 * A refusal by a domain module. `status` follows HTTP (404 unknown, 409 conflict with the current state,
 * 422 malformed input) so the API can turn it into a problem document and job workers can decide between
 * a BPMN error and a retry; `field` names the offending input where there is one. Each module names its
 * own subclass, so a caller catches only the refusals of the module it called.
 */
export class DomainError extends Error {
  readonly status: 404 | 409 | 422;
  readonly code: string;
  readonly field?: string;
  /** Koa's convention: the message is meant for the client. */
  readonly expose = true;

  constructor(status: 404 | 409 | 422, code: string, message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.field = field;
  }
}
