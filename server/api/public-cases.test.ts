import { MissLimiter } from './public-cases.js';

describe('MissLimiter', () => {
  test('blocks an address after max unknown links within the window, and lets it in again after', () => {
    const l = new MissLimiter(3, 1000);
    for (let i = 0; i < 3; i++) {
      expect(l.blocked('1.2.3.4', 100)).toBe(false);
      l.missed('1.2.3.4', 100);
    }
    expect(l.blocked('1.2.3.4', 500)).toBe(true);
    expect(l.blocked('5.6.7.8', 500)).toBe(false);
    expect(l.blocked('1.2.3.4', 1100)).toBe(false);
  });
});
