import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/http';

/** Payment and receipt codes as words (`label('method', 'qr')` → 扫码支付); an unknown code shows as itself. */
export function usePaymentLabels() {
  const { t, te } = useI18n();
  return (group: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    const key = `payments.${group}.${String(value)}`;
    return te(key) ? t(key) : String(value);
  };
}

/**
 * A refusal as a sentence in the reader's language: the problem's `code` when the locale knows it, else by the
 * HTTP status (naming the field). The server's English `detail` is shown only to English readers.
 */
export function useProblemText() {
  const { t, te, locale } = useI18n();
  return (err: unknown): string => {
    if (!(err instanceof ApiError)) return t('payments.problem.network');
    const { status, code, field, detail } = err.problem as {
      status: number;
      code?: string;
      field?: string;
      detail?: string;
    };
    if (code && te(`payments.problem.${code}`)) return t(`payments.problem.${code}`);
    if (locale.value === 'en' && detail) return detail;
    if (status === 403) return t('payments.problem.forbidden');
    if (status === 404) return t('payments.problem.not_found');
    if (status === 400 || status === 422) {
      const name = typeof field === 'string' ? field.split('.')[0] : '';
      return name && te(`payments.field.${name}`)
        ? t('payments.problem.invalidField', { field: t(`payments.field.${name}`) })
        : t('payments.problem.invalid');
    }
    if (status === 409) return t('payments.problem.conflict');
    if (status >= 500) return t('payments.problem.server');
    return t('payments.problem.unknown', { status });
  };
}

/** Date and time as the app's language writes them (not the browser's: one language on the screen). */
export function useWhen() {
  const { locale } = useI18n();
  return (at: string | null | undefined) => (at ? new Date(at).toLocaleString(locale.value) : '—');
}
