import { pinyin } from 'pinyin-pro';

/**
 * Search keys for a name: full pinyin without tones (`zhangsan`) and initials (`zs`). `surname: 'head'`
 * reads the family name with its surname reading (单 → shan, 曾 → zeng); ü is written v as on keyboards.
 */
export function nameKeys(name: string): { pinyin: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', v: true, surname: 'head', nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s.length > 0);
  return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}
