import type { RouteRecordRaw } from 'vue-router';

/** The receipt stock (票据): forms, their states and history, issue to cashiers, the printed layouts. */
export const receiptRoutes: RouteRecordRaw[] = [
  { path: 'receipts', name: 'receipts', component: () => import('./ReceiptsView.vue') },
];
