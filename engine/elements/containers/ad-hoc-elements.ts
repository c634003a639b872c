/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-moddle's object tree is untyped */
import type { FlowNode, ProcessModel } from '../../model/types.js';

/** One entry of `adHocSubProcessElements`: what a job worker (an AI agent, say) may choose from. */
export interface AdHocActivityMetadata {
  elementId: string;
  elementName?: string;
  documentation?: string;
  properties?: Record<string, string>;
}

/** The variable name Zeebe gives the metadata; its value must not be changed by workers. */
export const AD_HOC_ELEMENTS_VARIABLE = 'adHocSubProcessElements';

/**
 * The local variable an ad-hoc sub-process gets on activation (Camunda 8.8, "Special ad-hoc sub-process
 * variables"): one entry per activatable element, empty fields left out as Zeebe serialises them.
 * `parameters` (from `fromAi(…)` calls in the element's mappings) is not derived here.
 */
export function adHocSubProcessElements(model: ProcessModel, adHoc: FlowNode): AdHocActivityMetadata[] {
  return adHoc.adHoc!.activityIds.map((id) => {
    const node = model.nodes.get(id)!;
    const entry: AdHocActivityMetadata = { elementId: id };
    if (node.name) entry.elementName = node.name;
    const documentation = (node.moddle?.documentation ?? [])
      .map((d: any) => d.text ?? '')
      .join('\n')
      .trim();
    if (documentation) entry.documentation = documentation;
    const props = node.moddle?.extensionElements?.values?.find((v: any) => v.$type === 'zeebe:Properties');
    const properties = Object.fromEntries(
      (props?.properties ?? []).filter((p: any) => p.name).map((p: any) => [p.name, p.value ?? '']),
    );
    if (Object.keys(properties).length) entry.properties = properties;
    return entry;
  });
}
