import { Model } from 'objection';

/** Append-only (enforced by trigger): written by domain services, read by auditors and the 360 view. */
export class AuditEntry extends Model {
  static override tableName = 'cis.audit_log';
  id!: string;
  at!: Date;
  actor!: string;
  action!: string;
  entity!: string;
  entity_id!: string | null;
  account_id!: string | null;
  before!: unknown;
  after!: unknown;
  process_instance_key!: string | null;
  task_key!: string | null;
}
