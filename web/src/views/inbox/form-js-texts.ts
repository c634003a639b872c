/**
 * form-js's own texts in Chinese. @bpmn-io/form-js-viewer 2.0 passes every text it owns through its `translate`
 * service (a template with {placeholders}); a module given to `new Form({ additionalModules })` replaces it. The keys
 * are form-js's English templates exactly as in its dist (grep `translate('` in dist/index.es.js). Two texts bypass
 * the service: the simple select's "Select" (drawn over by CSS in TaskForm.vue) and the searchable select's
 * "Search" placeholder (no form deployed uses `searchable`).
 */
export const FORM_JS_ZH: Record<string, string> = {
  'Date and time must both be entered.': '日期和时间须同时填写。',
  'No content to show.': '没有可显示的内容。',
  "External content couldn't be loaded.": '外部内容无法加载。',
  Increment: '增加',
  Decrement: '减少',
  'Skip to search': '跳到搜索',
  'Remove tag': '移除',
  Search: '搜索',
  'All values selected': '已全部选择',
  'Nothing to show.': '没有可显示的内容。',
  '{page} of {total}': '第 {page} 页，共 {total} 页',
  'Previous page': '上一页',
  'Next page': '下一页',
  'Click to sort by {value} descending': '按{value}降序排列',
  'Click to remove sorting': '取消排序',
  'Click to sort by {value} ascending': '按{value}升序排列',
  'No files selected': '未选择文件',
  '{value} files selected': '已选择 {value} 个文件',
  'Document reference is not defined.': '未指定文档。',
  'Unable to download document': '文档无法下载',
  'Download {fileName}': '下载 {fileName}',
  'Add new': '新增',
  'Expand all ({value})': '全部展开（{value}）',
  Collapse: '收起',
  'Value is not a number.': '请输入数字。',
  'Value is expected to be an integer.': '请输入整数。',
  'Value is expected to have at most 1 decimal digit.': '最多 1 位小数。',
  'Value is expected to have at most {value} decimal digits.': '最多 {value} 位小数。',
  'Please select a valid value, the two nearest valid values are {previousValue} and {nextValue}.':
    '请输入有效值，最接近的两个有效值为 {previousValue} 和 {nextValue}。',
  'Field must match pattern {value}.': '格式不正确。',
  'Field is required.': '此项为必填项。',
  // Not through form-js's service (hard-coded in its select): TaskForm.vue draws it over with CSS.
  Select: '请选择',
  'Field must have minimum value of {value}.': '不能小于 {value}。',
  'Min validation value is not a valid number.': '最小值设置不是有效数字。',
  'Field must have maximum value of {value}.': '不能大于 {value}。',
  'Max validation value is not a valid number.': '最大值设置不是有效数字。',
  'Field must have minimum length of {value}.': '至少 {value} 个字符。',
  'Field must have maximum length of {value}.': '最多 {value} 个字符。',
  'Field must be a valid international phone number. (e.g. +4930664040900)':
    '请输入有效的国际电话号码（例如 +8613800138000）。',
  'Field must be a valid email.': '请输入有效的电子邮箱。',
};

/** form-js's translate service for a locale: Chinese from the table above in zh, form-js's English otherwise. */
export function formJsTranslate(locale: string) {
  const zh = String(locale).startsWith('zh');
  return (template: string, replacements: Record<string, unknown> = {}): string =>
    (zh ? (FORM_JS_ZH[template] ?? template) : template).replace(/{([^}]+)}/g, (whole, key: string) =>
      replacements[key] === undefined || replacements[key] === null ? whole : String(replacements[key]),
    );
}
