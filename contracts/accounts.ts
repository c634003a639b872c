// Customer accounts (M1) as /api/customers answers them. Declared by domain/accounts (view360.ts, search.ts), read by
// the web app. Times are Date objects in the domain and ISO strings once sent as JSON: Account360<Date> there,
// Account360 (strings) here.

/**
 * Everything the service desk needs on one screen, with the account's recent meter readings (M2). `cases`
 * (process instances carrying the account number) are added by the API from the engine.
 */
export interface Account360<Time = string> {
  account: {
    id: number;
    accountNo: string;
    status: string;
    commodity: string;
    customerClass: string;
    householdSize: number;
    paymentMethod: string;
    openedAt: Time;
    closedAt: Time | null;
    suspendedUntil: string | null;
    book: { code: string; name: string; reader: string | null; cycle: string; sequence: number };
  };
  customer: {
    id: number;
    kind: string;
    name: string;
    namePinyin: string;
    idDocType: string;
    idDocNumberMasked: string;
    phones: string[];
  };
  premise: {
    district: string;
    street: string;
    community: string;
    building: string;
    unit: string;
    room: string;
    addressText: string;
    fullAddress: string;
  };
  meters: Array<{
    serial: string;
    kind: string;
    vendor: string;
    model: string;
    caliberMm: number;
    digits: number;
    installDate: string | null;
    status: string;
    initialReading: string;
  }>;
  meterReplacements: Array<{
    oldSerial: string | null;
    newSerial: string | null;
    finalReading: string | null;
    initialReading: string | null;
    reason: string;
    replacedAt: Time;
  }>;
  /** Sum of the append-only ledger, in fen; negative means arrears. */
  balanceFen: number;
  certificates: Array<{
    number: string;
    status: string;
    reason: string;
    issuedAt: Time;
    voidedAt: Time | null;
    replaces: string | null;
  }>;
  /** The latest readings of every status, newest period first (m³ as decimal strings). */
  readings: Array<{
    id: number;
    period: string | null;
    readAt: Time;
    meterSerial: string | null;
    reading: string;
    consumption: string;
    source: string;
    estimated: boolean;
    status: string;
    failedRule: string | null;
  }>;
  history: Array<{
    at: Time;
    actor: string;
    action: string;
    entity: string;
    entityId: string | null;
    before: unknown;
    after: unknown;
    processInstanceKey: string | null;
    taskKey: string | null;
  }>;
}

/** A case of the account: a process instance carrying its number (added to the 360 view by the API). */
export interface AccountCase {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionName: string | null;
  state: string;
  startDate: string;
  endDate: string | null;
  hasIncident: boolean;
}

/** GET /api/customers/accounts/:accountNo: the 360 view, with the account's cases for those who may see them. */
export type Account360Page = Account360 & { cases?: AccountCase[] };

/** Why an account was found (domain/accounts/search.ts ranks them). */
export type MatchKind =
  | 'account_no_exact'
  | 'meter_serial_exact'
  | 'phone_exact'
  | 'name_exact'
  | 'pinyin_exact'
  | 'account_no_prefix'
  | 'meter_serial_prefix'
  | 'phone_suffix'
  | 'name_prefix'
  | 'pinyin_prefix'
  | 'name_fragment'
  | 'address_fragment';

/** One hit of the call-centre lookup (GET /api/customers/search). */
export interface SearchHit {
  accountId: number;
  accountNo: string;
  status: string;
  commodity: string;
  customerName: string;
  address: string;
  meterSerials: string[];
  phones: string[];
  matchedBy: MatchKind;
}
