import type { Knex } from 'knex';
import { invalid } from './errors.js';

/** Call-back timing and the photo limit, as the utility keeps them in cis.repair_settings. */
export interface RepairSettings {
  /** ISO 8601 duration from completion to the first call-back. */
  callbackDelay: string;
  /** ISO 8601 duration between unanswered call-backs. */
  callbackRetryDelay: string;
  /** Calls in all before an unreached customer's ticket is closed. */
  callbackMaxAttempts: number;
  photoMaxBytes: number;
}

const DEFAULTS: RepairSettings = {
  callbackDelay: 'P3D',
  callbackRetryDelay: 'P1D',
  callbackMaxAttempts: 3,
  photoMaxBytes: 5 * 1024 * 1024,
};

export async function loadSettings(knex: Knex): Promise<RepairSettings> {
  const rows = await knex('cis.repair_settings').select('key', 'value');
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  return { ...DEFAULTS, ...stored } as RepairSettings;
}

export interface ServiceLevel {
  urgency: string;
  rank: number;
  dispatchHours: number;
  fieldHours: number;
}

export async function serviceLevels(knex: Knex): Promise<ServiceLevel[]> {
  const rows = await knex('cis.repair_sla').orderBy('rank');
  return rows.map((r) => ({
    urgency: r.urgency,
    rank: r.rank,
    dispatchHours: r.dispatch_hours,
    fieldHours: r.field_hours,
  }));
}

export async function serviceLevel(knex: Knex, urgency: string): Promise<ServiceLevel> {
  const levels = await serviceLevels(knex);
  const found = levels.find((l) => l.urgency === urgency);
  if (!found) throw invalid('urgency', `one of ${levels.map((l) => l.urgency).join(', ')}`);
  return found;
}
