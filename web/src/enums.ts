import { useI18n } from 'vue-i18n';

/**
 * Codes from the server shown as words: `label('meterStatus', 'in_service')` → 在用. A code the locale does not
 * know yet shows as itself rather than as a missing-key path, so a new status never breaks a screen.
 */
export function useEnums() {
  const { t, te } = useI18n();
  return (group: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    const key = `enums.${group}.${String(value)}`;
    return te(key) ? t(key) : String(value);
  };
}
