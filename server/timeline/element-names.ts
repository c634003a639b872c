import { BpmnModdle } from 'bpmn-moddle';

/**
 * The display name of every element of a diagram by id (flow nodes inside sub-processes too), so printed
 * timelines say "审核申请" rather than "review". Unnamed elements are left out: the id is their name.
 */
export async function elementNames(xml: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const { rootElement } = await new BpmnModdle().fromXML(xml, 'bpmn:Definitions');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle's element tree has no typings
  const visit = (el: any) => {
    if (el?.id && typeof el.name === 'string' && el.name.trim()) names.set(el.id, el.name.trim());
    for (const child of [...(el?.flowElements ?? []), ...(el?.rootElements ?? [])]) visit(child);
  };
  visit(rootElement);
  return names;
}
