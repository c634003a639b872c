import type Koa from 'koa';

/**
 * The web app's Content-Security-Policy. The built app (Vite) loads only its own scripts, styles and fonts from
 * /assets and talks only to its own /api and /v2. Element Plus and bpmn-js set inline `style` attributes, hence
 * `'unsafe-inline'` for styles only (never for scripts); bpmn-js, ECharts and the form viewer draw images from
 * `data:` and `blob:` URLs; downloads (CSV, PDF) are `blob:` links. Nothing may frame the app (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers every answer carries: no MIME sniffing, no referrer beyond our own origin. HTML documents (the web app)
 * also get the Content-Security-Policy and X-Frame-Options for browsers that predate `frame-ancestors`.
 */
export function securityHeaders(): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Referrer-Policy', 'same-origin');
      if (ctx.response.is('html')) {
        ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        ctx.set('X-Frame-Options', 'DENY');
      }
    }
  };
}
