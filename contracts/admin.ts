// Users, roles and authorizations as /api/admin answers them (server/api/admin.ts), read by the admin screens.
// Resource and permission types are Camunda 8.8's enums on the server; the web app reads them as strings.

/** A user as the admin screen lists it: Camunda's user, its roles, and Aquaflow's active flag. */
export interface AdminUser {
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
  active: boolean;
}

/** One authorization of a role: permissions on a resource type, for one resource id or `*` (all). */
export interface RoleAuthorization<ResourceType extends string = string, PermissionType extends string = string> {
  authorizationKey: string;
  roleId: string;
  resourceType: ResourceType;
  resourceId: string;
  permissionTypes: PermissionType[];
}

export interface AdminRole<ResourceType extends string = string, PermissionType extends string = string> {
  roleId: string;
  name: string;
  description: string;
  members: string[];
  authorizations: RoleAuthorization<ResourceType, PermissionType>[];
}
