import { useI18n } from 'vue-i18n';

/** Repair codes as words (`label('category', 'leak')` → 漏水); an unknown code shows as itself. */
export function useRepairLabels() {
  const { t, te } = useI18n();
  return (group: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    const key = `repair.${group}.${String(value)}`;
    return te(key) ? t(key) : String(value);
  };
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
export const duration = (ms: number | null | undefined) => {
  if (ms == null) return '—';
  if (ms < 60000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60000);
  if (minutes < 60) return `${minutes} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} d`;
};
