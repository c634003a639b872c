import { buildCjt188, Cjt188Error, parseCjt188, toBcd } from './cjt188.js';

// A metering answer as published for CJ/T 188-2004 (cumulative 2.00 m³, meter clock unset).
const PUBLISHED =
  'FE FE FE FE 68 10 18 02 12 20 20 00 00 81 16 90 1F 00 00 02 00 00 2C 00 02 00 00 2C 00 00 00 00 00 00 00 00 FF 85 16';
// Another published answer (data identifier sent as 1F 90, meter clock set). Its printed checksum, 08H, does not
// add up (the bytes sum to 13H): as printed it is refused, with the checksum corrected it parses.
const WITH_CLOCK_AS_PRINTED =
  'FE FE FE FE 68 10 44 33 22 11 00 33 78 81 16 1F 90 00 00 77 66 55 2C 00 77 66 55 2C 31 01 22 11 05 15 20 21 84 08 16';
const WITH_CLOCK = WITH_CLOCK_AS_PRINTED.replace(/08 16$/, '13 16');

const problem = (hex: string) => {
  try {
    parseCjt188(hex);
  } catch (err) {
    expect(err).toBeInstanceOf(Cjt188Error);
    return (err as Cjt188Error).problem;
  }
  throw new Error('expected the frame to be refused');
};

test('published metering answers: type, address (BCD, low byte first), control, DI, cumulative flow, clock', () => {
  expect(parseCjt188(PUBLISHED)).toEqual({
    meterType: 0x10,
    address: '00002020120218',
    control: 0x81,
    fromMeter: true,
    abnormal: false,
    func: 1,
    dataId: '901F',
    serial: 0,
    metering: { cumulative: '2.000', settlement: '2.000', meterTime: null, status: 0xff00 },
  });
  expect(parseCjt188(WITH_CLOCK)).toMatchObject({
    address: '78330011223344',
    dataId: '1F90',
    metering: { cumulative: '556677.000', meterTime: '2015-05-11T22:01:31', status: 0x8421 },
  });
});

test('a read request (no data) parses without metering values; the preamble is optional', () => {
  const f = parseCjt188('68 10 18 02 12 20 20 00 00 01 03 90 1F 00 97 16');
  expect(f).toMatchObject({ fromMeter: false, func: 1, dataId: '901F', metering: null });
});

test('hand-made frames: m³ and litres, built and parsed back', () => {
  const m3 = buildCjt188(0x10, '12345678901234', 0x81, [0x90, 0x1f, 0x07, ...toBcd('01234567', 8), 0x2c]);
  expect(parseCjt188(m3).metering).toMatchObject({ cumulative: '12345.670', settlement: null });
  const litres = buildCjt188(0x10, '1', 0x81, [0x90, 0x1f, 0x01, ...toBcd('00123456', 8), 0x29]);
  expect(parseCjt188(litres)).toMatchObject({ address: '00000000000001', metering: { cumulative: '1.235' } });
  expect(parseCjt188(m3.replace(/ /g, '').toLowerCase()).address).toBe('12345678901234');
});

test('broken frames are refused naming the problem', () => {
  const good = PUBLISHED.split(' ');
  const withByte = (i: number, b: string) => good.map((x, j) => (j === i ? b : x)).join(' ');
  expect(problem(withByte(good.length - 2, '86'))).toBe('bad_checksum');
  expect(problem(withByte(20, '03'))).toBe('bad_checksum'); // one data byte changed
  expect(problem(withByte(4, '69'))).toBe('no_start');
  expect(problem(good.slice(0, -5).join(' '))).toBe('truncated');
  expect(problem(good.slice(0, 10).join(' '))).toBe('truncated');
  expect(problem(withByte(good.length - 1, '17'))).toBe('no_end');
  expect(problem(PUBLISHED + ' 00')).toBe('trailing_bytes');
  expect(problem(WITH_CLOCK_AS_PRINTED)).toBe('bad_checksum');
  expect(problem('FE FE 6')).toBe('not_hex');
  expect(problem('zz')).toBe('not_hex');
  expect(problem('')).toBe('not_hex');
  expect(problem(buildCjt188(0x10, '1', 0x81, [0x90, 0x1f, 0x01, 0x00, 0x00, 0x00, 0x00, 0x35]))).toBe(
    'unsupported_unit',
  );
  expect(problem(buildCjt188(0x10, '1', 0x81, [0x90, 0x1f, 0x01, 0x0a, 0x00, 0x00, 0x00, 0x2c]))).toBe('not_bcd');
});
