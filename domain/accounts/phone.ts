/**
 * Mainland phone numbers as staff type them: mobiles (11 digits, 1[3-9]…, optional +86/86 prefix)
 * and landlines with area code (0xx-xxxxxxxx, optional extension). Returns the stored form, or null
 * when the text is no phone number.
 */
export function normalisePhone(raw: string): string | null {
  const text = raw.trim().replace(/[\s()（）]/g, '');
  const mobile = /^(?:\+?86-?)?(1[3-9]\d{9})$/.exec(text);
  if (mobile) return mobile[1];
  const landline = /^(0\d{2,3})-?(\d{7,8})(?:(?:-|转|ext\.?)(\d{1,6}))?$/i.exec(text);
  if (landline) return `${landline[1]}-${landline[2]}${landline[3] ? '-' + landline[3] : ''}`;
  return null;
}
