import { Model } from 'objection';
import { Customer } from './customer.js';
import { Premise } from './premise.js';
import { MeterBook } from './meter-book.js';
import { Meter } from './meter.js';
import { Certificate } from './certificate.js';

export class Account extends Model {
  static override tableName = 'cis.accounts';
  id!: string;
  account_no!: string;
  customer_id!: string;
  premise_id!: string;
  commodity!: string;
  status!: 'active' | 'suspended' | 'closed';
  customer_class!: 'residential' | 'non_residential' | 'special';
  household_size!: number;
  payment_method!: 'counter' | 'bank_debit' | 'prepaid_card';
  book_id!: string;
  book_seq!: number;
  suspended_until!: Date | null;
  opened_at!: Date;
  closed_at!: Date | null;

  customer?: Customer;
  premise?: Premise;
  book?: MeterBook;
  meters?: Meter[];
  certificates?: Certificate[];

  static override get relationMappings() {
    return {
      customer: {
        relation: Model.BelongsToOneRelation,
        modelClass: Customer,
        join: { from: 'cis.accounts.customer_id', to: 'cis.customers.id' },
      },
      premise: {
        relation: Model.BelongsToOneRelation,
        modelClass: Premise,
        join: { from: 'cis.accounts.premise_id', to: 'cis.premises.id' },
      },
      book: {
        relation: Model.BelongsToOneRelation,
        modelClass: MeterBook,
        join: { from: 'cis.accounts.book_id', to: 'cis.meter_books.id' },
      },
      meters: {
        relation: Model.HasManyRelation,
        modelClass: Meter,
        join: { from: 'cis.accounts.id', to: 'cis.meters.account_id' },
      },
      certificates: {
        relation: Model.HasManyRelation,
        modelClass: Certificate,
        join: { from: 'cis.accounts.id', to: 'cis.certificates.account_id' },
      },
    };
  }
}
