import { parseBpmn } from '../../model/parse.js';
import type { ElementInstanceRow, ProcessInstanceRow } from '../../store/rows.js';
import type { KeyAllocator } from '../../store/keys.js';
import { InstanceContext, type GenericRow } from '../context.js';
import { closeHeld } from '../events/subscribe.js';
import { cancelUserTask } from '../task-listeners.js';
import { timerRecordValue } from './timer-changes.js';
import { behaviorTable } from '../../elements/behaviors.js';
import { callActivityFeature } from '../../elements/containers/call-activity.js';
import { eventsFeature } from '../events/index.js';

// A timer and a message subscription held by a catch event are closed two ways: the catch event is
// terminated (the instance is cancelled), or an event takes over (closeHeld). Both record the same value.

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:message id="m" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="paid">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:messageEventDefinition messageRef="m" />
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="paid" />
    <bpmn:sequenceFlow id="f3" sourceRef="paid" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const now = new Date('2026-03-15T10:30:00Z');

async function contextHolding(): Promise<{
  ctx: InstanceContext;
  root: ElementInstanceRow;
  holder: ElementInstanceRow;
}> {
  const { processes } = await parseBpmn(xml);
  let next = 1000;
  const keys = { available: 1000, ensure: async () => {}, take: () => String(next++) } as unknown as KeyAllocator;
  const pi: ProcessInstanceRow = {
    key: '1',
    process_definition_key: '2',
    bpmn_process_id: 'p',
    version: 1,
    version_tag: null,
    tenant_id: '<default>',
    state: 'ACTIVE',
    start_date: now,
    end_date: null,
    parent_process_instance_key: null,
    parent_element_instance_key: null,
    incident_count: 0,
    tags: [],
    start_element_ids: null,
  };
  const element = (key: string, id: string, type: string, scope: string | null): ElementInstanceRow => ({
    key,
    process_instance_key: '1',
    process_definition_key: '2',
    bpmn_process_id: 'p',
    element_id: id,
    element_name: null,
    element_type: type,
    flow_scope_key: scope,
    state: 'ACTIVATED',
    start_date: now,
    end_date: null,
    incident_key: null,
    loop_counter: null,
    tenant_id: '<default>',
    listener_index: 0,
  });
  const root = element('1', 'p', 'PROCESS', null);
  const holder = element('3', 'wait', 'INTERMEDIATE_CATCH_EVENT', '1');
  const owned = { element_instance_key: '3', process_instance_key: '1', process_definition_key: '2' };
  const timer: GenericRow = { key: '4', state: 'CREATED', element_id: 'wait', due_date: now, repetitions: 1, ...owned };
  const sub: GenericRow = {
    key: '5',
    state: 'CREATED',
    element_id: 'paid',
    message_name: 'paid',
    correlation_key: 'A-1',
    ...owned,
  };
  const ctx = new InstanceContext(
    {
      pi,
      elements: [root, holder],
      variables: [],
      takenFlows: [],
      jobs: [],
      userTasks: [],
      incidents: [],
      timers: [timer],
      subscriptions: [sub],
      forms: new Map(),
    },
    processes[0],
    keys,
    now,
    null,
    { catchError: [], onTerminate: [], onProcessEnd: [], cancelUserTask },
    behaviorTable([callActivityFeature, eventsFeature]),
  );
  return { ctx, root, holder };
}

const closedValues = (ctx: InstanceContext) => ({
  timer: ctx.records.find((r) => r.value_type === 'TIMER' && r.intent === 'CANCELED')?.value,
  subscription: ctx.records.find((r) => r.value_type === 'PROCESS_MESSAGE_SUBSCRIPTION' && r.intent === 'DELETED')
    ?.value,
});

describe('closing what an element holds records one value, however it is closed', () => {
  test('terminating the holder records the cancelled timer and deleted subscription in full', async () => {
    const { ctx, root } = await contextHolding();
    ctx.terminate(root);
    await ctx.run();
    const { timer, subscription } = closedValues(ctx);
    expect(timer).toEqual(timerRecordValue(ctx.timers.get('4')!));
    expect(timer).toMatchObject({ targetElementId: 'wait', dueDate: now.getTime(), elementInstanceKey: '3' });
    expect(subscription).toEqual({ messageName: 'paid', correlationKey: 'A-1', elementId: 'paid' });
  });

  test('closing them for an event that took over records the same values', async () => {
    const terminated = await contextHolding();
    terminated.ctx.terminate(terminated.root);
    await terminated.ctx.run();
    const closed = await contextHolding();
    closeHeld(closed.ctx, closed.holder);
    expect(closedValues(closed.ctx)).toEqual(closedValues(terminated.ctx));
  });
});
