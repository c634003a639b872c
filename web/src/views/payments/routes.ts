import type { RouteRecordRaw } from 'vue-router';

/** The counter's screens inside the shell: 收费台, the cashier's 日结, and every cashier's closes for managers. */
export const paymentRoutes: RouteRecordRaw[] = [
  { path: 'counter', name: 'counter', component: () => import('./CounterView.vue') },
  { path: 'counter/close', name: 'counter-close', component: () => import('./DailyCloseView.vue') },
  { path: 'counter/closes', name: 'counter-closes', component: () => import('./ClosesView.vue') },
];
