import type { RouteRecordRaw } from 'vue-router';

/** The repair screens inside the shell (desktop, 1366×768 and up). */
export const repairRoutes: RouteRecordRaw[] = [
  { path: 'repair/intake', name: 'repair-intake', component: () => import('./CallCentreView.vue') },
  { path: 'repair/tickets', name: 'repair-tickets', component: () => import('./TicketsView.vue') },
  { path: 'repair/tickets/:ticketNo', name: 'repair-ticket', component: () => import('./TicketView.vue') },
  { path: 'repair/stats', name: 'repair-stats', component: () => import('./StatsView.vue') },
];

/** The crew's page has the whole (phone) screen to itself, without the shell's menu bar. */
export const fieldRoute: RouteRecordRaw = {
  path: '/field',
  name: 'repair-field',
  component: () => import('./FieldView.vue'),
};
