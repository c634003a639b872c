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

/**
 * PostgreSQL text cannot hold NUL (U+0000): a request string containing one would fail in the database as a 500.
 * Every string of a search request — values and property names, wherever they sit — is checked once, before
 * anything is compiled, and the first NUL is refused naming its place (`filter.variables[0].name`). Iterative,
 * with each place's path built only when needed: a deeply nested body costs neither stack nor quadratic paths.
 */
export function refuseNul(body: unknown, root = ''): void {
  interface Place {
    value: unknown;
    parent: Place | null;
    step: string | number;
  }
  const pathOf = (place: Place): string => {
    const steps: Array<string | number> = [];
    for (let p: Place | null = place; p?.parent; p = p.parent) steps.unshift(p.step);
    let path = root;
    for (const step of steps) path += typeof step === 'number' ? `[${step}]` : path ? `.${step}` : step;
    return path.replaceAll('\u0000', '\\u0000');
  };
  const refuse = (place: Place) => {
    throw new SearchRequestError(pathOf(place), 'must not contain NUL characters');
  };
  const stack: Place[] = [{ value: body, parent: null, step: '' }];
  while (stack.length > 0) {
    const place = stack.pop() as Place;
    const { value, step } = place;
    if (typeof step === 'string' && step.includes('\u0000')) refuse(place);
    if (typeof value === 'string') {
      if (value.includes('\u0000')) refuse(place);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: place, step: i });
    } else if (isPlainObject(value)) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ value: entries[i][1], parent: place, step: entries[i][0] });
    }
  }
}
