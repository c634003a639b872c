/**
 * A rejected command, mapped by http/problem.ts to an RFC 9457 problem document with Camunda's
 * status code and title (the rejection type, e.g. NOT_FOUND, INVALID_STATE, INVALID_ARGUMENT).
 */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }

  /** The same rejection with a more specific explanation appended. */
  withDetail(more: string): Rejection {
    return new Rejection(this.status, this.title, `${this.detail}. ${more}`);
  }
}

export const notFound = (detail: string) => new Rejection(404, 'NOT_FOUND', detail);
export const invalidState = (detail: string) => new Rejection(409, 'INVALID_STATE', detail);
export const invalidArgument = (detail: string) => new Rejection(400, 'INVALID_ARGUMENT', detail);
export const badRequest = (detail: string) => new Rejection(400, 'Bad Request', detail);
