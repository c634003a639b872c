import { useI18n } from 'vue-i18n';
import { halfOf } from './bilingual';

/** A model's bilingual name ("维修服务 Repair ticket") as the half in the screen's language; other names as they are. */
export function useBilingual() {
  const { locale } = useI18n();
  return (name: string | undefined | null): string => {
    const text = name?.trim();
    return text ? halfOf(text, String(locale.value)) : '—';
  };
}
