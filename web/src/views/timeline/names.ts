import { halfOf } from '@/bilingual';

/**
 * A BPMN model's XML with every `name` attribute as its half in the locale's language, so a diagram drawn from it
 * (bpmn-js) labels its elements in one language. Needs a DOMParser (the browser).
 */
export function localizeBpmnXml(xml: string, locale: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) return xml;
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const name = el.getAttribute('name');
    if (name) el.setAttribute('name', halfOf(name, locale));
  }
  return new XMLSerializer().serializeToString(doc);
}

/** Element id → its name in the model (as written, both halves), from a BPMN XML. Needs a DOMParser. */
export function elementNames(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const names = new Map<string, string>();
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const id = el.getAttribute('id');
    const name = el.getAttribute('name');
    if (id && name && !names.has(id)) names.set(id, name);
  }
  return names;
}
