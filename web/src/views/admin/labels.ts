import { useI18n } from 'vue-i18n';
import { ApiError } from '@/api/http';

/** The part of a bilingual model name ("开户 Account opening") in the reader's language; other names as they are. */
export function localName(name: string, locale: string): string {
  const m = /^(.*[\u3400-\u9fff][^ ]*) ([\x20-\x7e]+)$/.exec(name.trim());
  if (!m) return name;
  return locale.startsWith('zh') ? m[1] : m[2];
}

/**
 * The admin screen's words for the engine's identifiers: roles, object types, permissions and the problems
 * /api/admin answers with. Nothing the engine calls things reaches the screen as a code: an unknown role shows
 * its name from the engine, an unknown permission code shows as itself (a newer engine, never a blank).
 */
export function useAdminLabels() {
  const { t, te, locale } = useI18n();
  const pick = (key: string, fallback: string) => (te(key) ? t(key) : fallback);

  const role = (roleId: string, name?: string) =>
    te(`enums.role.${roleId}`) ? t(`enums.role.${roleId}`) : pick(`admin.roleNames.${roleId}`, name || roleId);
  const roleDescription = (roleId: string, description: string) =>
    pick(`admin.roleDescriptions.${roleId}`, description);
  const resourceType = (type: string) => pick(`admin.resourceTypes.${type}`, type);
  const permission = (type: string, perm: string) =>
    te(`admin.permissionOn.${type}.${perm}`)
      ? t(`admin.permissionOn.${type}.${perm}`)
      : pick(`admin.permissions.${perm}`, perm);
  const process = (name: string) => localName(name, locale.value);

  /** What to tell the admin about a refused request: the problem's code in words, else the field, else in general. */
  const problem = (err: unknown): string => {
    if (!(err instanceof ApiError)) return t('admin.errors.failed');
    const { code, field } = err.problem as { code?: string; field?: string };
    if (code && code !== 'invalid' && te(`admin.errors.${code}`)) return t(`admin.errors.${code}`);
    if (field) return t('admin.errors.invalid', { field: pick(`admin.fields.${field}`, field) });
    if (err.status === 403) return t('admin.errors.forbidden');
    if (err.status === 404) return t('admin.errors.not-found');
    return t('admin.errors.failed');
  };

  return { role, roleDescription, resourceType, permission, process, problem };
}
