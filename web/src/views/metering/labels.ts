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
