import { api } from './http';

/** A user as GET /api/admin/users lists it (server/api/admin.ts AdminUser). */
export interface AdminUser {
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
  active: boolean;
}

/** One authorization of a role: permissions on a resource type, for one resource id or `*` (all). */
export interface RoleAuthorization {
  authorizationKey: string;
  roleId: string;
  resourceType: string;
  resourceId: string;
  permissionTypes: string[];
}

/** A role as GET /api/admin/roles lists it (server/api/admin.ts AdminRole). */
export interface AdminRole {
  roleId: string;
  name: string;
  description: string;
  members: string[];
  authorizations: RoleAuthorization[];
}

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
