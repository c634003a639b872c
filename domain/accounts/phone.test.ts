import { normalisePhone } from './phone.js';

test.each([
  ['13812345678', '13812345678'],
  ['+86 138 1234 5678', '13812345678'],
  ['0571-88881234', '0571-88881234'],
  ['057188881234', '0571-88881234'],
  ['010-1234567', '010-1234567'],
  ['(0755)88881234转123', '0755-88881234-123'],
])('%s is stored as %s', (raw, stored) => {
  expect(normalisePhone(raw)).toBe(stored);
});

test.each(['12812345678', '1381234567', '138123456789', 'abc', '88881234', '0571-8888'])(
  '%s is no phone number',
  (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  },
);
