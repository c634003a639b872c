/** An RFC 9457 problem document as the server sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

let unauthorized: (() => void) | undefined;
/** Called when a request finds the session gone (expired or signed out elsewhere); the router sends the user to sign in. */
export function onUnauthorized(fn: () => void): void {
  unauthorized = fn;
}

/** fetch for /api: JSON in and out, the session cookie sent along, problem documents thrown as ApiError. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // A custom header no cross-site form can send: the server's CSRF guard requires it on writes.
  if (method !== 'GET' && method !== 'HEAD') headers['X-Aquaflow-Request'] = '1';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => undefined);
  if (res.status === 401 && path !== '/api/session') unauthorized?.();
  if (!res.ok) {
    throw new ApiError(
      data && typeof data === 'object' ? data : { type: 'about:blank', title: res.statusText, status: res.status },
    );
  }
  return data as T;
}
