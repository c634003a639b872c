import { ROLES } from '../../db/migrations/0003_users.js';
import { PERMISSIONS_BY_RESOURCE } from '../../server/camunda/permissions.js';
import en from '../../web/src/locales/admin/en.js';
import zh from '../../web/src/locales/admin/zh-CN.js';
import enumsEn from '../../web/src/locales/enums/en.js';
import enumsZh from '../../web/src/locales/enums/zh-CN.js';

// The admin screen shows no engine code to a person: every object type, permission and role it can meet has words
// in both languages, and the two locale files have the same keys.
function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

test('zh-CN and en name the same things', () => {
  expect(keys(zh).sort()).toEqual(keys(en).sort());
});

test.each([
  ['zh-CN', zh, enumsZh],
  ['en', en, enumsEn],
])('%s has words for every object type, permission and role', (_locale, admin, enums) => {
  for (const [type, permissions] of Object.entries(PERMISSIONS_BY_RESOURCE)) {
    expect([type, type in admin.resourceTypes]).toEqual([type, true]);
    for (const p of permissions) expect([p, p in admin.permissions]).toEqual([p, true]);
  }
  for (const [role] of [...ROLES, ['worker']]) {
    const named = role in enums.role || role in admin.roleNames;
    expect([role, named, role in admin.roleDescriptions]).toEqual([role, true, true]);
  }
});
