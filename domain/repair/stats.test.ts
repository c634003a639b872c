import { STEPS, stepTimes } from './stats.js';

describe('time per step', () => {
  test('counts, means and maxima of completed steps; running steps and other elements are left out', () => {
    const steps = stepTimes([
      {
        elements: [
          { elementId: 'dispatch', durationMs: 1000 },
          { elementId: 'field-work', durationMs: 4000 },
        ],
      },
      {
        elements: [
          { elementId: 'dispatch', durationMs: 3000 },
          { elementId: 'field-work' },
          { elementId: 'received', durationMs: 0 },
        ],
      },
    ]);
    expect(steps.map((s) => s.step)).toEqual([...STEPS]);
    expect(steps.find((s) => s.step === 'dispatch')).toEqual({ step: 'dispatch', count: 2, meanMs: 2000, maxMs: 3000 });
    expect(steps.find((s) => s.step === 'field-work')).toEqual({
      step: 'field-work',
      count: 1,
      meanMs: 4000,
      maxMs: 4000,
    });
    expect(steps.find((s) => s.step === 'callback')).toEqual({ step: 'callback', count: 0, meanMs: null, maxMs: null });
  });
});
