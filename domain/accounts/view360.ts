import type { Knex } from 'knex';
import type * as Contract from '../../contracts/accounts.js';
import { Account, AuditEntry, Certificate, CustomerPhone, Meter, MeterReplacement } from '../../db/models/index.js';

/**
 * Everything the service desk needs on one screen, with the account's recent meter readings (M2); times as Date
 * until sent. `cases` (process instances carrying the account number) are added by the API from the engine.
 */
export type Account360 = Contract.Account360<Date>;

/** Shows the first 6 and last 4 characters of an identity document: enough to confirm, not to copy. */
export function maskIdNumber(value: string): string {
  return value.length <= 10
    ? value.replace(/.(?=.{2})/g, '*')
    : value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
}

const HISTORY_LIMIT = 100;
const READINGS_LIMIT = 12;

/** node-postgres reads `date` columns as local midnight; the API speaks calendar dates (YYYY-MM-DD). */
export function calendarDate(value: Date | string | null): string | null {
  if (value == null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

export async function loadAccount360(knex: Knex, accountNo: string): Promise<Account360 | null> {
  const a = await Account.query(knex).findOne({ account_no: accountNo }).withGraphFetched('[customer, premise, book]');
  if (!a || !a.customer || !a.premise || !a.book) return null;
  const [phones, replacements, certificates, history, balance, readings] = await Promise.all([
    CustomerPhone.query(knex).where({ customer_id: a.customer_id }).orderBy('id'),
    MeterReplacement.query(knex).where({ account_id: a.id }).orderBy('id'),
    Certificate.query(knex).where({ account_id: a.id }).orderBy('id', 'desc'),
    AuditEntry.query(knex).where({ account_id: a.id }).orderBy('id', 'desc').limit(HISTORY_LIMIT),
    knex('cis.ledger_entries').where({ account_id: a.id }).sum('amount_fen as sum').first(),
    knex('cis.readings as r')
      .leftJoin('cis.meters as m', 'm.id', 'r.meter_id')
      .where('r.account_id', a.id)
      .orderBy([
        { column: 'r.period', order: 'desc' },
        { column: 'r.id', order: 'desc' },
      ])
      .limit(READINGS_LIMIT)
      .select('r.id', 'r.period', 'r.read_at', 'm.serial', 'r.reading', 'r.consumption', 'r.source', 'r.estimated')
      .select('r.status', 'r.failed_rule'),
  ]);
  // Current meters and every meter that ever served the account (removed ones are in replacements).
  const meterIds = new Set<number>(
    replacements
      .flatMap((r) => [r.old_meter_id, r.new_meter_id])
      .filter((x): x is string => x != null)
      .map(Number),
  );
  const meters = await Meter.query(knex)
    .where({ account_id: a.id })
    .orWhereIn('id', [...meterIds])
    .orderBy('id');
  const serialOf = new Map(meters.map((m) => [Number(m.id), m.serial]));
  const certNumberOf = new Map(certificates.map((c) => [Number(c.id), c.number]));
  const p = a.premise;
  return {
    account: {
      id: Number(a.id),
      accountNo: a.account_no,
      status: a.status,
      commodity: a.commodity,
      customerClass: a.customer_class,
      householdSize: a.household_size,
      paymentMethod: a.payment_method,
      openedAt: a.opened_at,
      closedAt: a.closed_at,
      suspendedUntil: calendarDate(a.suspended_until),
      book: { code: a.book.code, name: a.book.name, reader: a.book.reader, cycle: a.book.cycle, sequence: a.book_seq },
    },
    customer: {
      id: Number(a.customer.id),
      kind: a.customer.kind,
      name: a.customer.name,
      namePinyin: a.customer.name_pinyin,
      idDocType: a.customer.id_doc_type,
      idDocNumberMasked: maskIdNumber(a.customer.id_doc_number),
      phones: phones.map((x) => x.phone),
    },
    premise: {
      district: p.district,
      street: p.street,
      community: p.community,
      building: p.building,
      unit: p.unit,
      room: p.room,
      addressText: p.address_text,
      fullAddress: p.fullAddress,
    },
    meters: meters.map((m) => ({
      serial: m.serial,
      kind: m.kind,
      vendor: m.vendor,
      model: m.model,
      caliberMm: m.caliber_mm,
      digits: m.digits,
      installDate: calendarDate(m.install_date),
      status: m.status,
      initialReading: m.initial_reading,
    })),
    meterReplacements: replacements.map((r) => ({
      oldSerial: r.old_meter_id == null ? null : (serialOf.get(Number(r.old_meter_id)) ?? null),
      newSerial: r.new_meter_id == null ? null : (serialOf.get(Number(r.new_meter_id)) ?? null),
      finalReading: r.final_reading,
      initialReading: r.initial_reading,
      reason: r.reason,
      replacedAt: r.replaced_at,
    })),
    balanceFen: Number(balance?.sum ?? 0),
    certificates: certificates.map((c) => ({
      number: c.number,
      status: c.status,
      reason: c.reason,
      issuedAt: c.issued_at,
      voidedAt: c.voided_at,
      replaces: c.replaces_id == null ? null : (certNumberOf.get(Number(c.replaces_id)) ?? null),
    })),
    readings: readings.map((r) => ({
      id: Number(r.id),
      period: calendarDate(r.period),
      readAt: r.read_at,
      meterSerial: r.serial ?? null,
      reading: r.reading,
      consumption: r.consumption,
      source: r.source,
      estimated: r.estimated,
      status: r.status,
      failedRule: r.failed_rule ?? null,
    })),
    history: history.map((h) => ({
      at: h.at,
      actor: h.actor,
      action: h.action,
      entity: h.entity,
      entityId: h.entity_id,
      before: h.before,
      after: h.after,
      processInstanceKey: h.process_instance_key,
      taskKey: h.task_key,
    })),
  };
}
