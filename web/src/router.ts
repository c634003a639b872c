import { createRouter, createWebHistory } from 'vue-router';
import { onUnauthorized } from './api/http';
import { useSessionStore } from './stores/session';
import { adminRoutes } from './views/admin/routes';
import { caseRoutes, caseStatusRoute } from './views/cases/routes';
import { meteringRoutes, readerRoute } from './views/metering/routes';
import { paymentRoutes } from './views/payments/routes';
import { receiptRoutes } from './views/receipts/routes';
import { fieldRoute, repairRoutes } from './views/repair/routes';
import { landingFor } from './views/shell/landing';

// Each screen is its own lazily loaded chunk: the modeler's and the viewer's libraries load only on their routes.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/sign-in',
      name: 'sign-in',
      component: () => import('./views/session/SignInView.vue'),
      meta: { public: true },
    },
    {
      path: '/',
      component: () => import('./views/shell/ShellView.vue'),
      children: [
        // `/` is each role's landing page (views/shell/landing.ts), chosen in beforeEach once the session is known
        { path: '', name: 'home', component: { render: () => null } },
        { path: 'dashboard', name: 'dashboard', component: () => import('./views/shell/DashboardView.vue') },
        { path: 'inbox/:taskKey?', name: 'inbox', component: () => import('./views/inbox/InboxView.vue') },
        {
          path: 'customers/:accountNo?',
          name: 'customers',
          component: () => import('./views/customers/CustomersView.vue'),
        },
        { path: 'modeler', name: 'modeler', component: () => import('./views/modeler/ModelerView.vue') },
        { path: 'instances', name: 'instances', component: () => import('./views/timeline/InstancesView.vue') },
        {
          path: 'instances/:key',
          name: 'instance',
          component: () => import('./views/timeline/InstanceView.vue'),
        },
        { path: 'incidents', name: 'incidents', component: () => import('./views/incidents/IncidentsView.vue') },
        ...meteringRoutes,
        { path: 'billing', name: 'billing', component: () => import('./views/billing/BillRunsView.vue') },
        ...paymentRoutes,
        ...receiptRoutes,
        ...repairRoutes,
        { path: 'cases/stats', name: 'case-stats', component: () => import('./views/cases/CaseStatsView.vue') },
        ...caseRoutes,
        ...adminRoutes,
      ],
    },
    fieldRoute,
    readerRoute,
    caseStatusRoute,
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

// Every page but sign-in needs a session; the sign-in page sends a signed-in user on.
router.beforeEach(async (to) => {
  const user = await useSessionStore().restore();
  if (!to.meta.public && !user) {
    const home = to.fullPath === '/' || to.fullPath === '/inbox'; // no need to remember the start page
    return { name: 'sign-in', query: home ? {} : { next: to.fullPath } };
  }
  if (to.name === 'sign-in' && user) return { name: 'home' };
  if (to.name === 'home' && user) return landingFor(user.roles);
  return true;
});

// An expired session on any call: back to sign-in, then to the same page (open forms keep drafts in sessionStorage).
onUnauthorized(() => {
  const session = useSessionStore();
  if (!session.user) return;
  session.user = null;
  const here = router.currentRoute.value;
  if (here.name !== 'sign-in') void router.replace({ name: 'sign-in', query: { next: here.fullPath, expired: '1' } });
});
