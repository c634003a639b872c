import { nameKeys } from './pinyin.js';

test('full pinyin and initials, surnames read as surnames, ü as v', () => {
  expect(nameKeys('张三')).toEqual({ pinyin: 'zhangsan', initials: 'zs' });
  expect(nameKeys('单雄信')).toEqual({ pinyin: 'shanxiongxin', initials: 'sxx' });
  expect(nameKeys('吕布')).toEqual({ pinyin: 'lvbu', initials: 'lb' });
});

test('latin letters in organisation names are kept in lower case', () => {
  expect(nameKeys('ABC水务')).toEqual({ pinyin: 'abcshuiwu', initials: 'asw' });
});
