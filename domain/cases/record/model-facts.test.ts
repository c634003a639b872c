import { modelFacts } from './model-facts.js';

const model = (boundaries: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:userTask id="survey" name="勘察" />
    <bpmn:userTask id="design" name="设计" />
    <bpmn:subProcess id="works" name="施工">
      <bpmn:userTask id="accept" name=" 验收 " />
    </bpmn:subProcess>
    <bpmn:serviceTask id="escalate" name="督办">
      <bpmn:extensionElements><zeebe:taskDefinition type="case-escalate" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="unnamed" />
    ${boundaries}
  </bpmn:process>
</bpmn:definitions>`;

const timer = (id: string, host: string, duration: string, cancel = false) =>
  `<bpmn:boundaryEvent id="${id}" attachedToRef="${host}" cancelActivity="${cancel}">
     <bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
   </bpmn:boundaryEvent>`;

describe('what the record reads from a deployed model', () => {
  test('names (inside sub-processes too, trimmed), job types, and the literal target of a non-interrupting timer', async () => {
    const facts = await modelFacts(
      model(
        timer('t1', 'survey', 'P3D') +
          timer('t2', 'accept', 'pt4h') +
          timer('t3', 'survey', 'PT1H') + // a second timer on the same step: the first is the target
          timer('t4', 'design', '=designDue') + // an expression has no value before it runs
          timer('t5', 'works', 'PT8H', true), // interrupting: a deadline, not an escalation
      ),
    );
    expect(facts.get('survey')).toEqual({ name: '勘察', jobType: null, target: 'P3D' });
    expect(facts.get('accept')).toEqual({ name: '验收', jobType: null, target: 'PT4H' });
    expect(facts.get('design')?.target).toBeNull();
    expect(facts.get('works')?.target).toBeNull();
    expect(facts.get('escalate')).toEqual({ name: '督办', jobType: 'case-escalate', target: null });
    expect(facts.get('unnamed')?.name).toBeNull();
  });
});
