/**
 * A search or get request the engine cannot answer as asked: becomes a 400 problem document whose
 * detail names the offending field (e.g. `filter.assignee.$gt`), as Camunda's INVALID_ARGUMENT does.
 */
export class SearchRequestError extends Error {
  readonly status = 400;
  readonly title = 'INVALID_ARGUMENT';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'SearchRequestError';
  }
}

/** A get by key that finds nothing: 404 NOT_FOUND, as Camunda answers. */
export class NotFoundError extends Error {
  readonly status = 404;
  readonly title = 'NOT_FOUND';
  constructor(detail: string) {
    super(detail);
    this.name = 'NotFoundError';
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
