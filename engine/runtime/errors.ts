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
}

export const notFound = (detail: string) => new Rejection(404, 'NOT_FOUND', detail);
export const invalidState = (detail: string) => new Rejection(409, 'INVALID_STATE', detail);
export const invalidArgument = (detail: string) => new Rejection(400, 'INVALID_ARGUMENT', detail);
export const badRequest = (detail: string) => new Rejection(400, 'Bad Request', detail);
