/**
 * The host application's users and roles, as the engine's identity endpoints (/v2/users, /v2/roles) see them.
 * The engine keeps no users or passwords of its own: a host that has them passes an IdentityDirectory to
 * createEngine (option `identity`); without one those endpoints do not exist (404, as any unknown endpoint).
 * Groups, mapping rules, role members other than users and the authorizations are the engine's own tables.
 *
 * Searches arrive here already validated and in a neutral form (conditions, sort, offset and limit), so a
 * directory needs to know nothing of Camunda's request shapes.
 */

/** One condition on a text field; `like` is a SQL LIKE pattern (`%`, `_`, backslash escapes them). */
export type TextCondition =
  | { op: 'eq' | 'neq'; value: string }
  | { op: 'in' | 'notIn'; values: string[] }
  | { op: 'exists'; value: boolean }
  | { op: 'like'; pattern: string };

export interface DirectoryQuery<Field extends string> {
  /** Every condition must hold. `neq` and `notIn` also match a field that is absent (null), as Camunda's do. */
  where: Array<{ field: Field; condition: TextCondition }>;
  /** Sort terms in order; the directory appends its identifier (username, roleId) as the final tie-breaker. */
  sort: Array<{ field: Field; order: 'ASC' | 'DESC' }>;
  offset: number;
  limit: number;
}

export interface DirectoryPage<T> {
  items: T[];
  /** Every match, not only this page's. */
  total: number;
}

export interface DirectoryUser {
  username: string;
  name: string;
  email: string | null;
}

export interface DirectoryRole {
  roleId: string;
  name: string;
  description: string;
}

export type UserField = 'username' | 'name' | 'email';
export type RoleField = 'roleId' | 'name';

export interface NewDirectoryUser {
  username: string;
  password: string;
  name?: string;
  email?: string;
}

export interface IdentityDirectory {
  /** Users matching the query; with `role`, only holders of that role. */
  searchUsers(query: DirectoryQuery<UserField> & { role?: string }): Promise<DirectoryPage<DirectoryUser>>;
  getUser(username: string): Promise<DirectoryUser | null>;
  /** ALREADY_EXISTS for a taken username. */
  createUser(user: NewDirectoryUser): Promise<DirectoryUser>;
  /**
   * Absent fields stay as they are (an empty password or name too); an empty email removes it. NOT_FOUND for an
   * unknown user.
   */
  updateUser(username: string, changes: { password?: string; name?: string; email?: string }): Promise<DirectoryUser>;
  /** NOT_FOUND for an unknown user; CONFLICT when the host's rules keep the user (e.g. its last administrator). */
  deleteUser(username: string): Promise<void>;

  searchRoles(query: DirectoryQuery<RoleField>): Promise<DirectoryPage<DirectoryRole>>;
  getRole(roleId: string): Promise<DirectoryRole | null>;
  /** ALREADY_EXISTS for a taken role id. */
  createRole(role: DirectoryRole): Promise<DirectoryRole>;
  /** NOT_FOUND for an unknown role. */
  updateRole(roleId: string, changes: { name: string; description: string }): Promise<DirectoryRole>;
  /** NOT_FOUND for an unknown role; CONFLICT while users still hold it (the host's rule). */
  deleteRole(roleId: string): Promise<void>;

  /** NOT_FOUND for an unknown user or role, ALREADY_EXISTS when held already, CONFLICT for the host's rules. */
  assignRole(roleId: string, username: string): Promise<void>;
  /** NOT_FOUND for an unknown user or role, or when the user does not hold the role; CONFLICT for the host's rules. */
  unassignRole(roleId: string, username: string): Promise<void>;
  /** The role ids a user holds ([] for an unknown user). */
  rolesOf(username: string): Promise<string[]>;
}

export type DirectoryErrorKind = 'NOT_FOUND' | 'ALREADY_EXISTS' | 'CONFLICT' | 'INVALID_ARGUMENT';

/** A directory's refusal; the engine answers it as Camunda would (404, 409 ALREADY_EXISTS / INVALID_STATE, 400). */
export class DirectoryError extends Error {
  constructor(
    readonly kind: DirectoryErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}
