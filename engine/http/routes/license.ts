import type { RouteModule } from '../route-module.js';

/**
 * GET /v2/license as a self-managed Camunda 8.8 answers without a license key: not valid, type `unknown`, not
 * commercial, no expiry. Aquaflow's engine carries no Camunda license, so this is what is true. Like Camunda
 * (its unprotected API paths), the route needs no credentials: auth.ts lets it through.
 */
export const licenseRoutes: RouteModule = (router) => {
  router.get('/license', (ctx) => {
    ctx.body = { validLicense: false, licenseType: 'unknown', isCommercial: false, expiresAt: null };
  });
};
