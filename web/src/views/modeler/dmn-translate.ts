import zhCN from '../../locales/dmn-js/zh-CN';

type Translate = (template: string, replacements?: Record<string, string>) => string;

/** dmn-js's `translate` for a locale: its English text looked up in our dictionary, then the `{placeholders}`. */
export function translateFor(locale: string): Translate {
  const dictionary: Record<string, string> = locale === 'zh-CN' ? zhCN : {};
  return (template, replacements = {}) =>
    (dictionary[template] ?? template).replace(/{([^}]+)}/g, (whole, key: string) => replacements[key.trim()] ?? whole);
}

/**
 * A diagram-js module that replaces dmn-js's translate service (its DRD, decision table, literal and boxed
 * expression editors each take it as an additional module), as diagram-js documents for localisation.
 */
export const translateModule = (locale: string) => ({ translate: ['value', translateFor(locale)] });
