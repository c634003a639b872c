import { createRouter, createWebHistory } from 'vue-router';
import { useSessionStore } from './stores/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/sign-in',
      name: 'sign-in',
      component: () => import('./views/session/SignInView.vue'),
      meta: { public: true },
    },
    { path: '/', name: 'home', component: () => import('./views/shell/ShellView.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

// Every page but sign-in needs a session; the sign-in page sends a signed-in user on.
router.beforeEach(async (to) => {
  const user = await useSessionStore().restore();
  if (!to.meta.public && !user) return { name: 'sign-in', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  if (to.name === 'sign-in' && user) return { name: 'home' };
  return true;
});
