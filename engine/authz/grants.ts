/** Resource ids a principal holds a permission on: every one (`*`) or the listed ones. */
export type Allowed = '*' | ReadonlySet<string>;

const NONE: ReadonlySet<string> = new Set();

/** A principal's permissions, folded from its authorization rows: resource type → permission → ids. */
export class Grants {
  private readonly byType = new Map<string, Map<string, Set<string>>>();

  constructor(rows: Array<{ resource_type: string; resource_id: string; permission_types: string[] }>) {
    for (const r of rows) {
      let perms = this.byType.get(r.resource_type);
      if (!perms) this.byType.set(r.resource_type, (perms = new Map()));
      for (const p of r.permission_types) {
        let ids = perms.get(p);
        if (!ids) perms.set(p, (ids = new Set()));
        ids.add(r.resource_id);
      }
    }
  }

  allowed(resourceType: string, permission: string): Allowed {
    const ids = this.byType.get(resourceType)?.get(permission);
    if (!ids) return NONE;
    return ids.has('*') ? '*' : ids;
  }

  /** Holds the permission on this resource id (or on every id when `id` is undefined). */
  has(resourceType: string, permission: string, id?: string): boolean {
    const allowed = this.allowed(resourceType, permission);
    return allowed === '*' || (id !== undefined && allowed.has(id));
  }

  /** Holds the permission on at least one id. */
  hasAny(resourceType: string, permission: string): boolean {
    const allowed = this.allowed(resourceType, permission);
    return allowed === '*' || allowed.size > 0;
  }
}

/** Granted everything: an engine running without authentication (local development). */
export class AllGrants extends Grants {
  constructor() {
    super([]);
  }
  override allowed(): Allowed {
    return '*';
  }
}
