import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import { requirePermission } from '../authorize.js';

/** Epoch milliseconds as the 8.8 client sends them (a JSON number or a string of digits), or an ISO date-time. */
const pinClock = z.object({
  timestamp: z.union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^\d{1,19}$/)
      .transform(Number),
    z
      .string()
      .datetime({ offset: true })
      .transform((s) => Date.parse(s)),
  ]),
});

/**
 * Camunda's clock control for tests: pin the engine clock, reset it; the scheduler wakes so due timers fire now.
 * Moving the clock fires every pending deadline, so, as in Camunda, the endpoints exist only on an engine started
 * with a controlled clock (ZEEBE_CLOCK_CONTROLLED); elsewhere they answer 404 like any unknown endpoint.
 */
export const clockRoutes: RouteModule = (router, rt, opts) => {
  if (!opts.clockControlled) return;
  router.put('/clock', async (ctx) => {
    await requirePermission(ctx, 'SYSTEM', 'UPDATE');
    const { timestamp } = pinClock.parse(await jsonBody(ctx));
    rt.clock.pin(timestamp);
    rt.hooks.events?.clockMoved();
    ctx.status = 204;
  });
  router.post('/clock/reset', async (ctx) => {
    await requirePermission(ctx, 'SYSTEM', 'UPDATE');
    rt.clock.reset();
    rt.hooks.events?.clockMoved();
    ctx.status = 204;
  });
};
