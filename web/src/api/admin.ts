import type { AdminRole, AdminUser, RoleAuthorization } from '../../../contracts/admin';
import { api } from './http';

export type { AdminRole, AdminUser, RoleAuthorization };

/** What the grant form offers (GET /api/admin/authorizations/catalogue). */
export interface Catalogue {
  resourceTypes: Array<{ resourceType: string; permissionTypes: string[] }>;
  processes: Array<{ processDefinitionId: string; name: string }>;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: string[];
}

export interface UserChange {
  displayName?: string;
  password?: string;
  roles?: string[];
}

export interface Grant {
  roleId: string;
  resourceType: string;
  resourceId: string;
  permissionTypes: string[];
}

const user = (username: string) => `/api/admin/users/${encodeURIComponent(username)}`;

export const adminApi = {
  users: () => api<{ items: AdminUser[] }>('GET', '/api/admin/users'),
  createUser: (body: NewUser) => api<AdminUser>('POST', '/api/admin/users', body),
  updateUser: (username: string, body: UserChange) => api<AdminUser>('PATCH', user(username), body),
  deactivate: (username: string) => api<AdminUser>('POST', `${user(username)}/deactivate`, {}),
  activate: (username: string) => api<AdminUser>('POST', `${user(username)}/activate`, {}),
  roles: () => api<{ items: AdminRole[] }>('GET', '/api/admin/roles'),
  catalogue: () => api<Catalogue>('GET', '/api/admin/authorizations/catalogue'),
  grant: (body: Grant) => api<RoleAuthorization>('POST', '/api/admin/authorizations', body),
  setPermissions: (key: string, permissionTypes: string[]) =>
    api<RoleAuthorization>('PUT', `/api/admin/authorizations/${encodeURIComponent(key)}`, { permissionTypes }),
  revoke: (key: string) => api<void>('DELETE', `/api/admin/authorizations/${encodeURIComponent(key)}`),
};
