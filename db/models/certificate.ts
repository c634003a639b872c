import { Model } from 'objection';

/** 用水证: one valid certificate per account; a reissue voids the old one and points back to it. */
export class Certificate extends Model {
  static override tableName = 'cis.certificates';
  id!: string;
  number!: string;
  account_id!: string;
  customer_id!: string;
  status!: 'valid' | 'void';
  replaces_id!: string | null;
  reason!: string;
  issued_at!: Date;
  voided_at!: Date | null;
}
