/**
 * Who sent a /v2 request, as the host application authenticated it. The engine derives the permissions from its
 * authorization rows (owners: this user, these roles, the user's groups); it never stores passwords.
 */
export interface Principal {
  username: string;
  /** Role ids (Aquaflow's role names); roles granted through the user's groups are added by the engine. */
  roles: string[];
  /**
   * A worker identity (a service user, the server's in-process workers). Job commands need one: a person's
   * login never takes or completes jobs, whatever its roles.
   */
  service: boolean;
}
