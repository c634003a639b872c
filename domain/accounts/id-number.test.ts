import { normaliseResidentId, residentIdCheckChar, residentIdProblem } from './id-number.js';

test('a published sample resident ID is valid, including the X check character', () => {
  expect(residentIdProblem('11010519491231002X')).toBeNull();
  expect(residentIdProblem('440524188001010014')).toBeNull();
  expect(residentIdCheckChar('11010519491231002')).toBe('X');
});

test('a wrong check character, a bad date, a wrong length or letters are refused with a reason', () => {
  expect(residentIdProblem('110105194912310021')).toMatch(/check character/);
  expect(residentIdProblem('110105194902300027')).toMatch(/birth date/);
  expect(residentIdProblem('11010519491231002')).toMatch(/17 digits/);
  expect(residentIdProblem('11010519491231002Y')).toMatch(/17 digits/);
  expect(residentIdProblem('01010519491231002X')).toMatch(/17 digits/);
});

test('a lower-case x and spaces are normalised before checking', () => {
  expect(normaliseResidentId(' 110105 19491231002x')).toBe('11010519491231002X');
});
