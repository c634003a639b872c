import { createI18n } from 'vue-i18n';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export const LOCALES = { 'zh-CN': '中文', en: 'English' } as const;
export type Locale = keyof typeof LOCALES;

const STORAGE_KEY = 'aquaflow.locale';
const stored = localStorage.getItem(STORAGE_KEY);

export const i18n = createI18n({
  legacy: false,
  locale: stored && stored in LOCALES ? stored : 'zh-CN',
  fallbackLocale: 'en',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
