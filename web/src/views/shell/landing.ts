import type { RouteLocationRaw } from 'vue-router';

/**
 * Where each role's work is: the home page `/` sends a signed-in user there (router.ts). A user with several roles
 * lands by the first of them in this fixed order — the broadest view first (managers and admins see the
 * overview), then the roles whose work has one screen of its own, then the roles that work from the inbox
 * (clerk, engineer). A role not listed (or none) lands on the inbox, which the menu keeps one click away.
 */
const LANDINGS: Array<[role: string, to: RouteLocationRaw]> = [
  ['admin', { name: 'dashboard' }],
  ['manager', { name: 'dashboard' }],
  ['dispatcher', { name: 'repair-tickets' }],
  ['cashier', { name: 'counter' }],
  ['crew', { name: 'repair-field' }],
  ['reader', { name: 'metering-mobile' }],
  ['auditor', { name: 'instances' }],
  ['clerk', { name: 'inbox' }],
  ['engineer', { name: 'inbox' }],
];

export function landingFor(roles: readonly string[]): RouteLocationRaw {
  return LANDINGS.find(([role]) => roles.includes(role))?.[1] ?? { name: 'inbox' };
}
