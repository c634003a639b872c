import type { Knex } from 'knex';
import { MeteringError } from './errors.js';
import { localToInstant } from './settings.js';
import { Cjt188Error, parseCjt188, WATER_METER_TYPES } from './cjt188.js';

const refuse = (code: string, message: string) => new MeteringError(422, code, `frame: ${message}`, 'frame');

/**
 * A remote reading from a CJ/T 188 metering answer: the reading input `record` takes (source 'remote'), or a
 * 422 naming `frame` with the parser's problem as code (bad_checksum, truncated, …). The meter is found by its
 * 14-digit address as serial, with or without leading zeros. The meter's clock, when the frame carries one, is the
 * reading time (local time in the utility's zone), and so sets the period. The external reference (address, flow, meter
 * clock) makes a frame forwarded twice record once.
 */
export async function remoteReadingInput(
  db: Knex,
  frameHex: string,
  period?: string,
): Promise<Record<string, unknown>> {
  let frame;
  try {
    frame = parseCjt188(frameHex);
  } catch (err) {
    if (err instanceof Cjt188Error) throw refuse(err.problem, err.message);
    throw err;
  }
  if (!WATER_METER_TYPES.includes(frame.meterType))
    throw refuse('not_a_water_meter', `meter type ${frame.meterType.toString(16)}H is not a water meter`);
  if (!frame.metering)
    throw refuse('no_metering_data', 'not a normal metering-data answer from a meter (C 81H, DI 90 1F)');
  const candidates = [frame.address, frame.address.replace(/^0+(?=.)/, '')];
  const meter = await db('cis.meters').whereIn('serial', candidates).orderBy('id', 'desc').first('serial');
  if (!meter) throw new MeteringError(422, 'unknown_meter', `frame: no meter with address ${frame.address}`, 'frame');
  const clock = frame.metering.meterTime;
  return {
    meterSerial: meter.serial,
    reading: frame.metering.cumulative,
    source: 'remote',
    period,
    // The meter's own clock keeps the utility's local time; without one, the reading is taken now.
    readAt: clock ? await localToInstant(db, clock) : undefined,
    externalRef: `cjt188:${frame.address}:${frame.metering.cumulative}:${clock ?? ''}`,
    note: clock ? `CJ/T 188, meter clock ${clock}` : 'CJ/T 188',
  };
}
