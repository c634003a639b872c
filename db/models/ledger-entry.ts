import { Model } from 'objection';

/** Append-only (enforced by trigger). amount_fen > 0 credits the customer (payments), < 0 charges. */
export class LedgerEntry extends Model {
  static override tableName = 'cis.ledger_entries';
  id!: string;
  account_id!: string;
  kind!: string;
  /** int8, kept as a string by db/index.ts */
  amount_fen!: string;
  ref!: string | null;
  created_at!: Date;
}
