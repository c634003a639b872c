import type { Knex } from 'knex';
import * as m0001 from './0001_schemas.js';
import * as m0002 from './0002_engine.js';
import * as m0003 from './0003_users.js';
import * as m0004 from './0004_engine_query.js';
import * as m0005 from './0005_accounts.js';
import * as m0006 from './0006_engine_events.js';
import * as m0007 from './0007_engine_multi_instance.js';
import * as m0008 from './0008_engine_signal_outbox.js';
import * as m0009 from './0009_metering_readings.js';
import * as m0010 from './0010_metering.js';
import * as m0011 from './0011_billing.js';
import * as m0012 from './0012_repair.js';
import * as m0013 from './0013_engine_record_indexes.js';
import * as m0014 from './0014_engine_compensation.js';
import * as m0015 from './0015_engine_execution_listeners.js';
import * as m0016 from './0016_engine_user_task_group_counts.js';
import * as m0017 from './0017_engine_authorizations.js';
import * as m0018 from './0018_engine_continuations.js';
import * as m0019 from './0019_identity_profiles.js';
import * as m0020 from './0020_payments_receipts.js';
import * as m0021 from './0021_billing_money_rules.js';
import * as m0022 from './0022_metering_corrections.js';
import * as m0023 from './0023_payment_post_function.js';
import * as m0024 from './0024_billing_credits_household_vat.js';
import * as m0025 from './0025_account_resume_grant.js';
import * as m0026 from './0026_billing_corrections.js';
import * as m0027 from './0027_engine_decisions.js';
import * as m0028 from './0028_engine_documents.js';
import * as m0029 from './0029_engine_task_listeners.js';
import * as m0030 from './0030_engine_ad_hoc.js';
import * as m0031 from './0031_engine_modification.js';
import * as m0033 from './0033_payment_settlement_waits.js';
import * as m0034 from './0034_cases.js';
import * as m0035 from './0035_cases_connection.js';
import * as m0036 from './0036_cases_network.js';
import * as m0037 from './0037_cases_documents.js';
import * as m0038 from './0038_cases_record.js';
import * as m0039 from './0039_metering_consumption_bound.js';
import * as m0040 from './0040_case_fee_serials.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are listed here, in order, rather than discovered on disk: the same list then works
 * under tsx, Jest and a compiled build alike. Add a new migration by importing it below.
 */
export const migrations: Array<[string, Migration]> = [
  ['0001_schemas', m0001],
  ['0002_engine', m0002],
  ['0003_users', m0003],
  ['0004_engine_query', m0004],
  ['0005_accounts', m0005],
  ['0006_engine_events', m0006],
  ['0007_engine_multi_instance', m0007],
  ['0008_engine_signal_outbox', m0008],
  ['0009_metering_readings', m0009],
  ['0010_metering', m0010],
  ['0011_billing', m0011],
  ['0012_repair', m0012],
  ['0013_engine_record_indexes', m0013],
  ['0014_engine_compensation', m0014],
  ['0015_engine_execution_listeners', m0015],
  ['0016_engine_user_task_group_counts', m0016],
  ['0017_engine_authorizations', m0017],
  ['0018_engine_continuations', m0018],
  ['0019_identity_profiles', m0019],
  ['0020_payments_receipts', m0020],
  ['0021_billing_money_rules', m0021],
  ['0022_metering_corrections', m0022],
  ['0023_payment_post_function', m0023],
  ['0024_billing_credits_household_vat', m0024],
  ['0025_account_resume_grant', m0025],
  ['0026_billing_corrections', m0026],
  ['0027_engine_decisions', m0027],
  ['0028_engine_documents', m0028],
  ['0029_engine_task_listeners', m0029],
  ['0030_engine_ad_hoc', m0030],
  ['0031_engine_modification', m0031],
  ['0033_payment_settlement_waits', m0033],
  ['0034_cases', m0034],
  ['0035_cases_connection', m0035],
  ['0036_cases_network', m0036],
  ['0037_cases_documents', m0037],
  ['0038_cases_record', m0038],
  ['0039_metering_consumption_bound', m0039],
  ['0040_case_fee_serials', m0040],
];
