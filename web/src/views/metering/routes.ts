import type { RouteRecordRaw } from 'vue-router';

/** The meter reading screens inside the shell (desktop, 1366×768 and up). */
export const meteringRoutes: RouteRecordRaw[] = [
  { path: 'metering/entry', name: 'metering-entry', component: () => import('./EntryGridView.vue') },
  { path: 'metering/import', name: 'metering-import', component: () => import('./ImportView.vue') },
];

/** The meter reader's phone page has the whole screen to itself, without the shell's menu bar. */
export const readerRoute: RouteRecordRaw = {
  path: '/reading',
  name: 'metering-mobile',
  component: () => import('./MobileView.vue'),
};
