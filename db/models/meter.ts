import { Model } from 'objection';

export class Meter extends Model {
  static override tableName = 'cis.meters';
  id!: string;
  serial!: string;
  kind!: 'ordinary' | 'ic_card' | 'remote';
  vendor!: string;
  model!: string;
  caliber_mm!: number;
  digits!: number;
  install_date!: Date | null;
  status!: 'stock' | 'in_service' | 'removed';
  account_id!: string | null;
  /** numeric(12,3), kept as a string (db/index.ts) */
  initial_reading!: string;
}

export class MeterReplacement extends Model {
  static override tableName = 'cis.meter_replacements';
  id!: string;
  account_id!: string;
  old_meter_id!: string | null;
  new_meter_id!: string | null;
  final_reading!: string | null;
  initial_reading!: string | null;
  reason!: string;
  replaced_at!: Date;
}
