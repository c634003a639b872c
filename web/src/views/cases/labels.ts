import { useI18n } from 'vue-i18n';
import { i18n } from '@/i18n';

/** Labels of the case screens: a code the locale does not know shows as a dash, never as the raw code. */
export function useCaseLabels() {
  const { t, te } = useI18n();
  return (
    group: 'type' | 'status' | 'stage' | 'useClass' | 'idDocType' | 'customerKind' | 'shutoffKind' | 'methods',
    code: unknown,
  ) => {
    const key = group === 'methods' ? `businessCases.methods.${code}` : `businessCases.${group}.${code}`;
    return code != null && te(key) ? t(key) : '—';
  };
}

/** A time as the counter reads it: the utility's time (China), to the minute, in the screen's language. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18n.global.locale.value, {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Roles as the shell's menu and the case page ask for them (server/auth/roles.ts CASE_*). */
export const CASE_INTAKE = ['clerk', 'engineer', 'manager', 'admin'];
export const CASE_READERS = ['clerk', 'cashier', 'engineer', 'manager', 'admin', 'auditor'];
