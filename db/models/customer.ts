import { Model } from 'objection';

export class Customer extends Model {
  static override tableName = 'cis.customers';
  id!: string;
  kind!: 'person' | 'organisation';
  id_doc_type!: string;
  id_doc_number!: string;
  name!: string;
  name_pinyin!: string;
  name_initials!: string;
  created_at!: Date;
  updated_at!: Date;
}

export class CustomerPhone extends Model {
  static override tableName = 'cis.customer_phones';
  id!: string;
  customer_id!: string;
  phone!: string;
}
