/**
 * The models and forms under processes/ carry their human texts in both languages in one string, Chinese first
 * ("户主姓名 Customer name", "该工单已超过服务时限，请督办。This ticket is overdue: please follow it up."): that pair is
 * the translation data beside the models. The screen shows one half — the one in its language. Pure (no Vue), so the
 * form test under test/ imports it too.
 */

/**
 * A Chinese half ending in a CJK character or CJK punctuation (and maybe a short unit in brackets, "用水量 (m³)"),
 * then an English half that starts with a Latin letter
 * and holds no CJK character ("m³" is fine). The two are parted by whitespace, or follow each other directly after
 * Chinese sentence punctuation or a full-width bracket. The English half must hold a lower-case word ("IC card", "Approve"): a trailing code
 * ("口径 DN20") is part of the Chinese text, not a translation.
 */
const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const PAIR = new RegExp(`^(.*[${CJK}](?:\\s*\\([^()]{1,8}\\))?)(?:\\s+|(?<=[。！？；：）]))([A-Za-z][^${CJK}]*)$`, 's');

/** Whether a text holds a CJK character (the test over the forms uses it too). */
export const hasCjk = (text: string): boolean => new RegExp(`[${CJK}]`).test(text);

export type Half = 'zh' | 'en';

/** The language half for a vue-i18n locale ("zh-CN" → zh, anything else → en). */
export const halfFor = (locale: string): Half => (String(locale).startsWith('zh') ? 'zh' : 'en');

/** A bilingual text as its half in the locale's language; a text in one language only is returned as it is. */
export function halfOf(text: string, locale: string): string {
  const halves = PAIR.exec(text.trim());
  if (!halves || !/[a-z]{2}/.test(halves[2])) return text;
  return halfFor(locale) === 'zh' ? halves[1].trim() : halves[2].trim();
}

/** Texts per line (markdown of a form-js `text` component: one bilingual pair per line). */
const linesOf = (text: string, locale: string) =>
  text
    .split('\n')
    .map((line) => halfOf(line, locale))
    .join('\n');

/**
 * The schema fields form-js shows to a person: field label and description, the date/time labels of a datetime,
 * the placeholder, adorners, a pattern's error message, a table's column labels, option labels (`values[].label`)
 * and the content of `text` components. Keys, ids, values, conditions (`hide`) and paths are never touched.
 */
const HUMAN = new Set([
  'label',
  'description',
  'dateLabel',
  'timeLabel',
  'placeholder',
  'prefixAdorner',
  'suffixAdorner',
  'patternErrorMessage',
]);

/** A form-js schema with every human text as its half in the locale's language; the input is left unchanged. */
export function localizeForm<T>(schema: T, locale: string): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    const obj = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(obj)) {
      if (typeof value === 'string') {
        // A FEEL expression ("=...") is evaluated by form-js, never shown as written.
        const shown = !value.startsWith('=');
        if (shown && HUMAN.has(key)) out[key] = halfOf(value, locale);
        else if (shown && key === 'text' && obj.type === 'text') out[key] = linesOf(value, locale);
        else out[key] = value;
      } else out[key] = walk(value);
    }
    return out;
  };
  return walk(schema) as T;
}
