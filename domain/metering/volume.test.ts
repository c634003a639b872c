import { fromLitres, meterCapacity, toLitres } from './volume.js';

test('volumes travel as integer litres, never as floats', () => {
  expect(toLitres('123.4')).toBe(123400);
  expect(toLitres('0.001')).toBe(1);
  expect(toLitres(' 7 ')).toBe(7000);
  expect(toLitres('-3.5')).toBe(-3500);
  expect(fromLitres(toLitres('0.1') + toLitres('0.2'))).toBe('0.300');
  expect(fromLitres(-3500)).toBe('-3.500');
  expect(meterCapacity(5)).toBe(100_000_000);
  expect(() => toLitres('1,5')).toThrow(RangeError);
  expect(() => toLitres('1.2345')).toThrow(RangeError);
});
