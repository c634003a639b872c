import { useI18n } from 'vue-i18n';

/** Metering codes as words (`label('status', 'pending')` → 待复核); an unknown code shows as itself. */
export function useMeteringLabels() {
  const { t, te } = useI18n();
  return (group: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    const key = `metering.${group}.${String(value)}`;
    return te(key) ? t(key) : String(value);
  };
}

export const statusType = (s: string | undefined) =>
  s === 'accepted' ? 'success' : s === 'pending' ? 'warning' : 'info';

/**
 * Why a rule held a reading, in the user's language, from the figures of the reading (the server's `problem`
 * text is English and stays available as a tooltip).
 */
export function useRuleText() {
  const { t, te } = useI18n();
  return (r: { failedRule: string | null; consumption: string; problem: string | null }, average = '') => {
    if (!r.failedRule) return '';
    const key = `metering.ruleText.${r.failedRule}`;
    if (!te(key)) return r.problem ?? '';
    return t(key, { delta: r.consumption.replace(/^-/, ''), consumption: r.consumption, average });
  };
}
