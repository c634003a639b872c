import type { RouteRecordRaw } from 'vue-router';

/** The administration screens inside the shell: admins manage, auditors read (server/api/admin.ts). */
export const adminRoutes: RouteRecordRaw[] = [
  { path: 'admin/users', name: 'admin-users', component: () => import('./UsersView.vue') },
  { path: 'admin/roles', name: 'admin-roles', component: () => import('./RolesView.vue') },
];
