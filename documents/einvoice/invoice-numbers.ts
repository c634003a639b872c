import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Invoice numbers are the China date and a counter for the day: 20261207000001. Fourteen digits, so a number
// from outside can be checked before it becomes a file name.
export const INVOICE_NO = /^\d{14}$/;

const TIME_ZONE = 'Asia/Shanghai';

export function chinaDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(at)
    .replace(/-/g, '');
}

interface Counter {
  date: string;
  last: number;
}

/**
 * The next number of the day, persisted in the folder so a restart does not reuse one. Not safe on its own against
 * a second caller: the provider calls it inside its queue, and writes each invoice with `wx` as the last guard.
 */
export async function nextInvoiceNo(dir: string, at: Date): Promise<string> {
  const file = join(dir, 'counter.json');
  const date = chinaDate(at);
  let counter: Counter = { date, last: 0 };
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Counter;
    if (stored.date === date) counter = stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  counter = { date, last: counter.last + 1 };
  if (counter.last > 999_999) throw new RangeError(`more than 999999 invoices on ${date}`);
  // Write then rename: a crash leaves the old counter or the new one, never half a file.
  await writeFile(`${file}.tmp`, JSON.stringify(counter));
  await rename(`${file}.tmp`, file);
  return `${date}${String(counter.last).padStart(6, '0')}`;
}
