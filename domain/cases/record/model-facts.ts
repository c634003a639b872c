import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';

const zeebeModdle = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json');

/** What the record needs of a deployed model's element. */
export interface ElementFacts {
  name: string | null;
  /** zeebe:taskDefinition type of a job-based task. */
  jobType: string | null;
  /** The literal ISO 8601 duration of a non-interrupting timer boundary attached to it: the step's target. */
  target: string | null;
}

/**
 * Every element of a diagram by id (inside sub-processes too): its name, job type and target. A target is only a
 * literal duration (`PT2H`): a FEEL expression (`=surveyDue`) has no value until it runs. When several such timers
 * sit on one step, the first in the model is the target.
 */
export async function modelFacts(xml: string): Promise<Map<string, ElementFacts>> {
  const facts = new Map<string, ElementFacts>();
  const { rootElement } = await new BpmnModdle({ zeebe: zeebeModdle }).fromXML(xml, 'bpmn:Definitions');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle's element tree has no typings
  const boundaries: any[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const visit = (el: any) => {
    if (el?.id && el.$type !== 'bpmn:Definitions') {
      const def = (el.extensionElements?.values ?? []).find(
        (x: { $type: string }) => x.$type === 'zeebe:TaskDefinition',
      );
      facts.set(el.id, {
        name: typeof el.name === 'string' && el.name.trim() ? el.name.trim() : null,
        jobType: def?.type ?? null,
        target: null,
      });
      if (el.$type === 'bpmn:BoundaryEvent') boundaries.push(el);
    }
    for (const child of [...(el?.flowElements ?? []), ...(el?.rootElements ?? [])]) visit(child);
  };
  visit(rootElement);
  for (const b of boundaries) {
    if (b.cancelActivity !== false) continue;
    const timer = (b.eventDefinitions ?? []).find((d: { $type: string }) => d.$type === 'bpmn:TimerEventDefinition');
    const body = String(timer?.timeDuration?.body ?? '').trim();
    const host = facts.get(b.attachedToRef?.id);
    if (!host || !/^P[0-9TWDHMS.]+$/i.test(body) || host.target) continue;
    host.target = body.toUpperCase();
  }
  return facts;
}
