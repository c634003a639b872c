// Amounts as printed on receipts and invoices: integer fen in, text out (DESIGN §5: never floating point).
//
// Capitals (大写金额) follow the People's Bank rules for filling in vouchers (正确填写票据和结算凭证的基本规定):
// - a leading ten is written 壹拾 (壹拾元, 壹拾万元), as banks require, so nothing can be put in front of it;
// - zeros inside the yuan write one 零 (壹仟零壹元, 壹万零壹拾元); zeros at the end of a group write none
//   (壹佰万元整, 壹亿元整);
// - 整 follows 元 and also 角 (壹元伍角整): the rules let 角 go without it, we close it so no 分 can be added;
//   never after 分;
// - a yuan digit of 0 before a non-zero 角 writes no 零 (壹拾元伍角整), which the rules allow; before 分 alone it
//   must (壹拾元零伍分);
// - below one yuan the yuan are left out (伍角整, 伍分); nothing at all is 零元整.

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES = ['', '拾', '佰', '仟'];

/** 0 < n < 10000: the digits of one group with their places, inner zeros as one 零, trailing zeros dropped. */
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

/** n > 0 yuan in capitals, without 元. */
function yuan(n: number): string {
  for (const [size, unit] of [
    [1e8, '亿'],
    [1e4, '万'],
  ] as const) {
    if (n >= size) {
      const low = n % size;
      const high = yuan(Math.floor(n / size)) + unit;
      if (low === 0) return high;
      // A gap below the unit (壹万零壹拾) reads as one 零, as inside a group.
      return high + (low < size / 10 ? '零' : '') + yuan(low);
    }
  }
  return group(n);
}

function checkFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount must be a whole number of fen, got ${fen}`);
}

/** 大写金额 of an amount in fen: 123456 → 壹仟贰佰叁拾肆元伍角陆分, 100 → 壹元整, -100 → 负壹元整. */
export function amountInCapitals(fen: number): string {
  checkFen(fen);
  if (fen < 0) return '负' + amountInCapitals(-fen);
  const whole = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  const head = whole > 0 ? yuan(whole) + '元' : '';
  if (jiao === 0 && cents === 0) return whole > 0 ? head + '整' : '零元整';
  if (jiao === 0) return head + (whole > 0 ? '零' : '') + DIGITS[cents] + '分';
  return head + DIGITS[jiao] + '角' + (cents === 0 ? '整' : DIGITS[cents] + '分');
}

/** Yuan in figures with thousands separators: 123456 → "1,234.56", -5 → "-0.05". */
export function formatYuan(fen: number): string {
  checkFen(fen);
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${fen < 0 ? '-' : ''}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A unit price (fen per m³, one decimal where the tariff has 厘) as yuan: two decimals, three where the price has
 * 厘 (3.45, 3.455). Not for amounts, which are whole fen.
 */
export function formatUnitPrice(priceFen: number): string {
  const li = Math.round(priceFen * 10);
  const abs = Math.abs(li);
  const rest = abs % 1000;
  const decimals = rest % 10 === 0 ? String(rest / 10).padStart(2, '0') : String(rest).padStart(3, '0');
  return `${li < 0 ? '-' : ''}${Math.floor(abs / 1000)}.${decimals}`;
}
