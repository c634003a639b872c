import { problem, Problem } from '../http/problem.js';

interface ClientError {
  status?: number;
  title?: string;
  detail?: string;
}

export function engineStatus(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? (err as ClientError).status : undefined;
}

/**
 * Turns an error of the official client into a problem document for the browser: the engine's own status and
 * detail (they name the element or the state), or the caller's clearer wording for a given status.
 */
export function engineProblem(err: unknown, wording: Partial<Record<number, string>> = {}): Problem {
  if (err instanceof Problem) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ClientError;
  const status = e.status;
  if (!status || status >= 500 || status === 401 || status === 403)
    return problem(
      502,
      'Bad Gateway',
      `the process engine did not answer as expected${status ? ` (HTTP ${status})` : ''}`,
    );
  return problem(status, e.title, wording[status] ?? e.detail, e.detail ? { engineDetail: e.detail } : {});
}
