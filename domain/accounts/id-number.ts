// GB 11643-1999 resident identity number: 6-digit region, 8-digit birth date, 3-digit sequence, check character.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Why an 18-digit resident ID is malformed, or null when it is valid. */
export function residentIdProblem(value: string): string | null {
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return 'must be 17 digits followed by a digit or X';
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > Date.now()) {
    return 'contains no valid birth date';
  }
  if (residentIdCheckChar(value) !== value[17]) return 'check character does not match';
  return null;
}

/** Upper-cases the check character and drops spaces, the two ways a typed ID usually differs. */
export function normaliseResidentId(value: string): string {
  return value.replace(/\s/g, '').toUpperCase();
}
