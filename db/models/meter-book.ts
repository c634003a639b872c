import { Model } from 'objection';

export class MeterBook extends Model {
  static override tableName = 'cis.meter_books';
  id!: string;
  code!: string;
  name!: string;
  reader!: string | null;
  cycle!: 'monthly' | 'bimonthly' | 'quarterly';
}
