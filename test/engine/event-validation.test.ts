import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

const xml = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="bad-events" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ev" />
    ${body}
    <bpmn:sequenceFlow id="f2" sourceRef="ev" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
  ${extra}
</bpmn:definitions>`;

describe('deployment validation of events', () => {
  test.each([
    [
      'a malformed timer',
      `<bpmn:intermediateCatchEvent id="ev"><bpmn:timerEventDefinition><bpmn:timeDuration>PT-nonsense</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
      '',
      'ev',
      'ev',
    ],
    [
      'a message catch without correlation key',
      `<bpmn:intermediateCatchEvent id="ev"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>`,
      '<bpmn:message id="m" name="n" />',
      'ev',
      'correlation key',
    ],
    [
      'a malformed correlation key',
      `<bpmn:receiveTask id="ev" messageRef="m" />`,
      '<bpmn:message id="m" name="n"><bpmn:extensionElements><zeebe:subscription correlationKey="=a +" /></bpmn:extensionElements></bpmn:message>',
      'ev',
      'parse expression',
    ],
    [
      'an error end event without code',
      `<bpmn:task id="ev" /><bpmn:endEvent id="errEnd"><bpmn:errorEventDefinition /></bpmn:endEvent>`,
      '',
      'errEnd',
      'error code',
    ],
    [
      'an event-based gateway followed by a task',
      `<bpmn:task id="ev" /><bpmn:eventBasedGateway id="ebg" /><bpmn:task id="a" /><bpmn:task id="b" /><bpmn:sequenceFlow id="g1" sourceRef="ebg" targetRef="a" /><bpmn:sequenceFlow id="g2" sourceRef="ebg" targetRef="b" />`,
      '',
      'ebg',
      'catch events',
    ],
  ])('%s rejects the deployment naming the element', async (_what, body, extra, elementId, text) => {
    const file = new File([xml(body, extra)], 'bad-events.bpmn');
    const err = await rejection(t.client.createDeployment({ resources: [file] }));
    expect(err.status).toBe(400);
    expect(err.detail).toContain('bad-events.bpmn');
    expect(err.detail).toContain(elementId);
    expect(err.detail).toContain(text);
  });
});

describe('incidents of event subscriptions', () => {
  test('a failed correlation key is resolved by fixing the variable; the subscription then opens once', async () => {
    await t.deploy('receive-task.bpmn');
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'receive-task' as never,
      variables: { caseId: null },
    });
    const inc = await t.db
      .knex('engine.incident')
      .where({ process_instance_key: pi.processInstanceKey, state: 'ACTIVE' })
      .first();
    expect(inc.element_id).toBe('receive');
    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi.processInstanceKey,
      variables: { caseId: 'FIXED' },
    } as never);
    await t.client.resolveIncident({ incidentKey: inc.key });
    const subs = await t.db.knex('engine.message_subscription').where({ process_instance_key: pi.processInstanceKey });
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ correlation_key: 'FIXED', state: 'CREATED' });
    await t.client.publishMessage({ name: 'doc-arrived', correlationKey: 'FIXED', variables: { docs: [] } } as never);
    await eventually(async () => (await instanceState(t.db.knex, pi.processInstanceKey)) === 'COMPLETED');
  });
});
