// Money at the counter: integer fen from the server, yuan as the cashier types it; never a float in between.

/** 12345 → "123.45", -5 → "-0.05". */
export function yuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A unit price (fen per m³, one decimal where it has 厘) as yuan: 3.45, 3.455 (documents/chinese-amount.ts). */
export function unitPrice(priceFen: number): string {
  const li = Math.round(priceFen * 10);
  const rest = Math.abs(li) % 1000;
  const decimals = rest % 10 === 0 ? String(rest / 10).padStart(2, '0') : String(rest).padStart(3, '0');
  return `${li < 0 ? '-' : ''}${Math.floor(Math.abs(li) / 1000)}.${decimals}`;
}

/** "12.5" → 1250; null for anything that is not yuan with at most two decimals (the server's own rule). */
export function toFen(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES = ['', '拾', '佰', '仟'];

function group(n: number): string {
  let out = '';
  let zero = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(n / 10 ** place) % 10;
    if (digit === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[digit] + PLACES[place];
  }
  return out;
}

function whole(n: number): string {
  for (const [size, unit] of [
    [1e8, '亿'],
    [1e4, '万'],
  ] as const) {
    if (n >= size) {
      const low = n % size;
      const high = whole(Math.floor(n / size)) + unit;
      if (low === 0) return high;
      return high + (low < size / 10 ? '零' : '') + whole(low);
    }
  }
  return group(n);
}

/**
 * 大写金额 for the cashier to read back to the customer, by the same bank rules as the printed receipt
 * (documents/chinese-amount.ts, which the browser may not import): 123456 → 壹仟贰佰叁拾肆元伍角陆分.
 */
export function capitals(fen: number): string {
  if (!Number.isSafeInteger(fen)) return '';
  if (fen < 0) return '负' + capitals(-fen);
  const y = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  if (fen === 0) return '零元整';
  let out = y > 0 ? whole(y) + '元' : '';
  if (jiao > 0) out += DIGITS[jiao] + '角';
  if (cents > 0) out += (y > 0 && jiao === 0 ? '零' : '') + DIGITS[cents] + '分';
  else out += '整';
  return out;
}
