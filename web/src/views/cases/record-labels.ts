import { useI18n } from 'vue-i18n';
import { i18n } from '@/i18n';

/** The case record's words: working time as hours and minutes, codes through the locale (an unknown one as a dash). */
export function useRecordLabels() {
  const { t, te } = useI18n();
  const hours = (ms: number | null | undefined): string => {
    if (ms === null || ms === undefined) return '—';
    const minutes = Math.round(ms / 60_000);
    const h = Math.floor(minutes / 60);
    return h ? t('caseRecord.hours', { h, m: minutes % 60 }) : t('caseRecord.minutes', { m: minutes });
  };
  const label = (group: string, code: string | null | undefined): string => {
    if (!code) return '—';
    const key = `caseRecord.${group}.${code}`;
    return te(key) ? t(key) : '—';
  };
  return { t, hours, label };
}

/** A time in the utility's time zone and the screen's language, to the minute. */
export const when = (iso: string | null | undefined, timeZone = 'Asia/Shanghai') =>
  iso
    ? new Date(iso).toLocaleString(i18n.global.locale.value, {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      })
    : '—';

/** Integer fen as yuan with two decimals (integer arithmetic: money is never a float). */
export const yuan = (fen: number) =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
