import type { RouteRecordRaw } from 'vue-router';

/** The case screens inside the shell: the front desk, all cases, one case. */
export const caseRoutes: RouteRecordRaw[] = [
  { path: 'cases/desk', name: 'case-desk', component: () => import('./CaseDeskView.vue') },
  { path: 'cases', name: 'case-list', component: () => import('./CasesListView.vue') },
  { path: 'cases/:caseNo', name: 'case', component: () => import('./CaseView.vue') },
];

/** The public status page behind the receipt's QR code: no sign-in, no shell, a phone's screen. */
export const caseStatusRoute: RouteRecordRaw = {
  path: '/status/:token',
  name: 'case-status',
  component: () => import('./StatusView.vue'),
  meta: { public: true },
};
