import { Model } from 'objection';

export class Premise extends Model {
  static override tableName = 'cis.premises';
  id!: string;
  district!: string;
  street!: string;
  community!: string;
  building!: string;
  unit!: string;
  room!: string;
  address_text!: string;

  /** The address as printed on certificates and work orders. */
  get fullAddress(): string {
    return [this.district, this.street, this.community, this.building, this.unit, this.room, this.address_text].join(
      '',
    );
  }
}
