import type Koa from 'koa';

/** How much of a refused body is read and discarded so that the client gets to see the answer. */
export const DISCARD_LIMIT = 64 * 1024 * 1024;
/** How long a client may take to finish sending a refused body before its connection is cut. */
export const DISCARD_TIMEOUT_MS = 30_000;

/**
 * An answer given before the request body was read to its end (a 413 for an oversize body, a 401 or 403 before an
 * upload was looked at) would otherwise leave the rest of the body in a paused socket: the client, still writing,
 * waits until the keep-alive timeout resets the connection and reports the reset instead of the answer, or worse,
 * reuses the connection for its next request. Such an answer says `Connection: close`, and what the client still
 * sends is read and discarded (up to DISCARD_LIMIT bytes or DISCARD_TIMEOUT_MS; beyond that the connection is cut).
 */
export function unreadBodies(): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      if (!ctx.req.complete && ctx.status >= 400) discardRest(ctx);
    }
  };
}

function discardRest(ctx: Koa.Context): void {
  const { req, res } = ctx;
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  ctx.set('Connection', 'close');
  const cut = setTimeout(() => socket.destroy(), DISCARD_TIMEOUT_MS).unref();
  socket.once('close', () => clearTimeout(cut));
  if (req.destroyed) {
    // The reader gave up on the request (the engine does when a body passes its limit): the HTTP parser drops
    // what still arrives, once the socket flows again.
    socket.resume();
    return;
  }
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT) socket.destroy();
  });
  req.on('error', () => {}); // a client that gives up mid-body is not an error of ours
  req.resume();
}
