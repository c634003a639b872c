/**
 * A refusal by a domain module. `status` follows HTTP (404 unknown, 409 conflict with the current state,
 * 422 malformed input) so the API can turn it into a problem document and job workers can decide between
 * a BPMN error and a retry; `field` names the offending input where there is one, and `params` carries the
 * refusal's facts as data (say the open case's number), so a client words the refusal in its own language rather
 * than quoting the English message. Each module names its own subclass, so a caller catches only the refusals of
 * the module it called.
 */
export class DomainError extends Error {
  readonly status: 404 | 409 | 422;
  readonly code: string;
  readonly field?: string;
  /** Facts of the refusal as data, added to the problem document beside `code` (never a standard member's name). */
  readonly params?: Record<string, string | number>;
  /** Koa's convention: the message is meant for the client. */
  readonly expose = true;

  constructor(
    status: 404 | 409 | 422,
    code: string,
    message: string,
    field?: string,
    params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.field = field;
    if (params) this.params = params;
  }
}
