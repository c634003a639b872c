/**
 * CJ/T 188-2004 (户用计量仪表数据传输技术条件) frames, as remote-reading concentrators forward them in hex:
 *
 *   FE… 68H T A0…A6 C L DI0 DI1 SER data… CS 16H
 *
 * - 2–4 preamble bytes FEH (any number is tolerated), start 68H;
 * - T meter type (10H cold water, 11H hot water, 12H drinking water, 13H reclaimed water, 20H/21H heat, 30H gas,
 *   40H electricity);
 * - A0…A6 address, 14 BCD digits, low byte first (A5 A6 are the manufacturer code);
 * - C control: D7 1 = answer from the meter, D6 1 = abnormal answer, D5…D0 function (01 read data, 03 read
 *   address…);
 * - L length of the data field; the data field is DI0 DI1 SER and the data (multi-byte values low byte first);
 * - CS the sum, modulo 256, of every byte from 68H to the last data byte; end 16H.
 *
 * Metering data (DI 90 1F; some meters send 1F 90): current cumulative flow as 4 BCD bytes with 2 decimals and a
 * unit byte (2CH m³, 29H litres), the settlement-day flow in the same form, the meter clock as 7 BCD bytes
 * (ss mm hh DD MM YYYY, year low byte first) and 2 status bytes.
 */
export interface Cjt188Frame {
  meterType: number;
  /** 14 digits, most significant first, as printed on the meter. */
  address: string;
  control: number;
  /** D7: the frame comes from the meter. */
  fromMeter: boolean;
  /** D6: the meter reports an abnormal communication. */
  abnormal: boolean;
  /** D5…D0 */
  func: number;
  /** DI0 DI1 as sent, in hex (e.g. "901F"). */
  dataId: string | null;
  serial: number | null;
  /** Present in a metering-data answer. */
  metering: {
    /** Cumulative flow in m³ with 3 decimals. */
    cumulative: string;
    settlement: string | null;
    /** The meter's own clock, local time as it sends it (YYYY-MM-DDTHH:mm:ss), when readable. */
    meterTime: string | null;
    status: number | null;
  } | null;
}

export type Cjt188Problem =
  'not_hex' | 'no_start' | 'truncated' | 'bad_checksum' | 'no_end' | 'trailing_bytes' | 'not_bcd' | 'unsupported_unit';

export class Cjt188Error extends Error {
  constructor(
    readonly problem: Cjt188Problem,
    message: string,
  ) {
    super(message);
    this.name = 'Cjt188Error';
  }
}

const START = 0x68;
const END = 0x16;
const PREAMBLE = 0xfe;
const HEADER = 11; // 68H T A0…A6 C L
export const METERING_DATA_IDS = ['901F', '1F90'];
export const WATER_METER_TYPES = [0x10, 0x11, 0x12, 0x13];

const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');

/** BCD bytes, low byte first, as a digit string (most significant first). */
function bcd(bytes: Uint8Array, what: string): string {
  const digits = [...bytes].reverse().map(hex2).join('');
  if (!/^\d*$/.test(digits)) throw new Cjt188Error('not_bcd', `${what} is not BCD: ${digits}`);
  return digits;
}

/** 4 BCD bytes with 2 decimals and a unit byte → m³ with 3 decimals. */
function flow(bytes: Uint8Array, what: string): string {
  const hundredths = Number(bcd(bytes.subarray(0, 4), what));
  const unit = bytes[4];
  let litres: number;
  if (unit === 0x2c) litres = hundredths * 10;
  else if (unit === 0x29) litres = Math.round(hundredths / 100);
  else throw new Cjt188Error('unsupported_unit', `${what}: unit ${hex2(unit)}H is neither m³ (2CH) nor L (29H)`);
  return `${Math.floor(litres / 1000)}.${String(litres % 1000).padStart(3, '0')}`;
}

function meterClock(bytes: Uint8Array): string | null {
  try {
    const [ss, mm, hh, dd, mo] = [...bytes.subarray(0, 5)].map((b) => bcd(Uint8Array.of(b), 'clock'));
    const year = bcd(bytes.subarray(5, 7), 'clock');
    const text = `${year}-${mo}-${dd}T${hh}:${mm}:${ss}`;
    return Number.isNaN(Date.parse(`${text}Z`)) ? null : text;
  } catch {
    return null;
  }
}

/** Parses one frame given in hex (spaces, colons and a 0x prefix allowed); throws Cjt188Error naming the problem. */
export function parseCjt188(hexText: string): Cjt188Frame {
  const clean = hexText.replace(/^0x/i, '').replace(/[\s:,-]/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(clean))
    throw new Cjt188Error('not_hex', 'the frame is not an even number of hex digits');
  const bytes = Uint8Array.from(clean.match(/../g)!.map((h) => parseInt(h, 16)));
  let s = 0;
  while (s < bytes.length && bytes[s] === PREAMBLE) s++;
  if (bytes[s] !== START)
    throw new Cjt188Error(
      'no_start',
      `expected the start byte 68H at byte ${s}, found ${s < bytes.length ? hex2(bytes[s]) + 'H' : 'the end'}`,
    );
  if (bytes.length < s + HEADER) throw new Cjt188Error('truncated', 'the frame ends inside its header');
  const length = bytes[s + 10];
  const csAt = s + HEADER + length;
  if (bytes.length < csAt + 2)
    throw new Cjt188Error(
      'truncated',
      `L says ${length} data bytes; the frame ends ${csAt + 2 - bytes.length} byte(s) early`,
    );
  const sum = bytes.subarray(s, csAt).reduce((a, b) => (a + b) & 0xff, 0);
  if (sum !== bytes[csAt])
    throw new Cjt188Error('bad_checksum', `checksum ${hex2(bytes[csAt])}H does not match the bytes (${hex2(sum)}H)`);
  if (bytes[csAt + 1] !== END)
    throw new Cjt188Error('no_end', `expected the end byte 16H, found ${hex2(bytes[csAt + 1])}H`);
  if (bytes.length > csAt + 2) throw new Cjt188Error('trailing_bytes', 'bytes follow the end byte 16H');

  const control = bytes[s + 9];
  const data = bytes.subarray(s + HEADER, csAt);
  const dataId = data.length >= 2 ? hex2(data[0]) + hex2(data[1]) : null;
  const fromMeter = (control & 0x80) !== 0;
  const abnormal = (control & 0x40) !== 0;
  let metering: Cjt188Frame['metering'] = null;
  if (fromMeter && !abnormal && dataId && METERING_DATA_IDS.includes(dataId) && data.length >= 3 + 5) {
    const values = data.subarray(3);
    metering = {
      cumulative: flow(values.subarray(0, 5), 'cumulative flow'),
      settlement: values.length >= 10 ? flow(values.subarray(5, 10), 'settlement-day flow') : null,
      meterTime: values.length >= 17 ? meterClock(values.subarray(10, 17)) : null,
      status: values.length >= 19 ? values[17] | (values[18] << 8) : null,
    };
  }
  return {
    meterType: bytes[s + 1],
    address: bcd(bytes.subarray(s + 2, s + 9), 'address'),
    control,
    fromMeter,
    abnormal,
    func: control & 0x3f,
    dataId,
    serial: data.length >= 3 ? data[2] : null,
    metering,
  };
}

/** Builds a frame (for tests and simulators): checksum and end byte added, 4 bytes of preamble. */
export function buildCjt188(meterType: number, address: string, control: number, data: number[]): string {
  const a = address
    .padStart(14, '0')
    .match(/../g)!
    .reverse()
    .map((d) => parseInt(d, 16));
  const body = [START, meterType, ...a, control, data.length, ...data];
  const cs = body.reduce((x, y) => (x + y) & 0xff, 0);
  return [PREAMBLE, PREAMBLE, PREAMBLE, PREAMBLE, ...body, cs, END].map(hex2).join(' ');
}

/** A value as BCD bytes, low byte first (`digits` digits). */
export function toBcd(value: string, digits: number): number[] {
  return value
    .padStart(digits, '0')
    .match(/../g)!
    .reverse()
    .map((d) => parseInt(d, 16));
}
