import { amountInCapitals, formatUnitPrice, formatYuan } from './chinese-amount.js';

describe('amountInCapitals: the 大写金额 a cashier writes on a receipt', () => {
  it.each([
    [0, '零元整'],
    [100, '壹元整'],
    [123456, '壹仟贰佰叁拾肆元伍角陆分'],
    [100000000, '壹佰万元整'],
    [10000000000, '壹亿元整'],
  ])('the brief’s examples: %i fen → %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text);
  });

  it.each([
    [1005, '壹拾元零伍分'],
    [105, '壹元零伍分'],
    [5, '伍分'],
    [1_000_005, '壹万元零伍分'],
  ])('fen without jiao need a 零 where the jiao would be: %i → %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text);
  });

  it.each([
    [150, '壹元伍角整'],
    [50, '伍角整'],
    [1050, '壹拾元伍角整'],
    [155, '壹元伍角伍分'],
    [1_068_032, '壹万零陆佰捌拾元叁角贰分'],
  ])('jiao close with 整, a zero yuan digit before jiao writes no 零: %i → %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text);
  });

  it.each([
    [100_100, '壹仟零壹元整'],
    [1_000_100, '壹万零壹元整'],
    [1_001_000, '壹万零壹拾元整'],
    [1_000_010_000, '壹仟万零壹佰元整'],
    [10_100, '壹佰零壹元整'],
    [1_001_100, '壹万零壹拾壹元整'],
    [100_010_000, '壹佰万零壹佰元整'],
    [10_000_000_100, '壹亿零壹元整'],
    [10_001_000_000, '壹亿零壹万元整'],
    [10_010_000_000, '壹亿零壹拾万元整'],
    [10_100_000_000, '壹亿零壹佰万元整'],
    [11_000_000_000, '壹亿壹仟万元整'],
    [100_100_000_000, '壹拾亿零壹佰万元整'],
  ])('zeros inside the yuan read as one 零: %i → %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text);
  });

  it.each([
    [1000, '壹拾元整'],
    [1500, '壹拾伍元整'],
    [10_000_000, '壹拾万元整'],
    [11_000_000, '壹拾壹万元整'],
    [100_000_000_000, '壹拾亿元整'],
  ])('a leading ten is 壹拾, the bank convention: %i → %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text);
  });

  it('a water bill of 38.40 + 12.60 sewage = 51.00 yuan', () => {
    expect(amountInCapitals(3840 + 1260)).toBe('伍拾壹元整');
  });

  it('the largest amount a number holds exactly', () => {
    expect(amountInCapitals(Number.MAX_SAFE_INTEGER)).toBe(
      '玖拾万零柒佰壹拾玖亿玖仟贰佰伍拾肆万柒仟肆佰零玖元玖角壹分',
    );
  });

  it('a refund prints 负 in front', () => {
    expect(amountInCapitals(-1005)).toBe('负壹拾元零伍分');
    expect(amountInCapitals(-100)).toBe('负壹元整');
  });

  it.each([0.5, 1.25, NaN, Infinity, 2 ** 60])('refuses %p: money is whole fen', (fen) => {
    expect(() => amountInCapitals(fen)).toThrow(RangeError);
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [100, '1.00'],
    [123456, '1,234.56'],
    [100000, '1,000.00'],
    [99999, '999.99'],
    [123456789, '1,234,567.89'],
    [-123456, '-1,234.56'],
    [-5, '-0.05'],
  ])('%i fen → %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it('refuses fractions of a fen', () => {
    expect(() => formatYuan(1.5)).toThrow(RangeError);
  });
});

describe('formatUnitPrice', () => {
  test.each([
    [345, '3.45'],
    [345.5, '3.455'],
    [1035, '10.35'],
    [0.5, '0.005'],
    [100, '1.00'],
    [-345.5, '-3.455'],
  ])('%s fen per m³ → %s yuan', (fen, text) => {
    expect(formatUnitPrice(fen)).toBe(text);
  });
});
