import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

// Issue #14, "no input may stall the server": one process-instance creation whose `matches()` was given a crafted
// pattern blocked every request for 68 s. FEEL's regex functions now run on a linear-time engine, and every
// evaluation runs under a time budget (1000 ms), so each use below — script task, gateway condition, input
// mapping, timer duration, correlation key; the pattern literal or from a variable — either answers at once or
// ends in an incident that says why, while the server keeps answering.

const CRAFTED = '^(a+)+$'; // 2^40 backtracking steps on the input below in a backtracking engine
const BACKREFERENCE = '^(a+)+\\1$'; // needs a backtracking engine: refused with a clear message
const input = 'a'.repeat(40) + '!';

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A process using `expr` as a script, as a gateway condition or as an input mapping. */
function process(id: string, use: string, expr: string): string {
  const e = xml(expr);
  const body: Record<string, string> = {
    script: `<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:scriptTask id="check">
      <bpmn:extensionElements><zeebe:script expression="=${e}" resultVariable="r" /></bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />`,
    condition: `<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <bpmn:exclusiveGateway id="gw" default="no" />
    <bpmn:sequenceFlow id="yes" sourceRef="gw" targetRef="endYes">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=${e}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="no" sourceRef="gw" targetRef="endNo" />
    <bpmn:endEvent id="endYes" />
    <bpmn:endEvent id="endNo" />`,
    timer: `<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">=if ${e} then "PT1H" else "PT2H"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />`,
    message: `<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:messageEventDefinition messageRef="m" />
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />`,
    mapping: `<bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:scriptTask id="check">
      <bpmn:extensionElements>
        <zeebe:ioMapping><zeebe:input source="=${e}" target="local" /></zeebe:ioMapping>
        <zeebe:script expression="=local" resultVariable="r" />
      </bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />`,
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d-${id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    ${body[use]}
  </bpmn:process>
  <bpmn:message id="m" name="bounds">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=if ${e} then &quot;yes&quot; else &quot;no&quot;" /></bpmn:extensionElements>
  </bpmn:message>
</bpmn:definitions>`;
}

const USES = ['script', 'condition', 'mapping', 'timer', 'message'];

const cases = {
  literal: `matches(s, "${CRAFTED}")`,
  variable: 'matches(s, p)',
  backreference: `matches(s, "${BACKREFERENCE.replace(/\\/g, '\\\\')}")`,
  backreferenceVariable: 'matches(s, q)',
  loop: 'count(for i in 1..100000000000 return matches(s, p))',
};

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.client.createDeployment({
    resources: Object.entries(cases).flatMap(([kind, expr]) =>
      USES.map(
        (use) => new File([process(`${use}-${kind}`, use, expr)], `${use}-${kind}.bpmn`, { type: 'application/xml' }),
      ),
    ),
  });
});
afterAll(async () => {
  await t?.stop();
});

const variables = { s: input, p: CRAFTED, q: BACKREFERENCE };

/** Starts an instance while the topology is asked for alongside; both must answer. */
async function startWhileServing(processDefinitionId: string) {
  const started = t.client.createProcessInstance({ processDefinitionId: processDefinitionId as never, variables });
  const topology = fetch(`${t.url}/v2/topology`).then(async (res) => ({ status: res.status, at: Date.now() }));
  const since = Date.now();
  const [instance, answered] = await Promise.all([started, topology]);
  // Liveness, not a benchmark: a backtracking `matches` held every request for a minute.
  expect(answered.status).toBe(200);
  expect(answered.at - since).toBeLessThan(10_000);
  return instance.processInstanceKey;
}

async function activeIncident(processInstanceKey: string) {
  return t.db.knex('engine.incident').where({ process_instance_key: processInstanceKey, state: 'ACTIVE' }).first();
}

describe('a crafted pattern in matches() cannot stall the server', () => {
  test.each(['literal', 'variable'])(
    'pattern %s: script, condition, mapping, timer and correlation key see false',
    async (kind) => {
      const script = await startWhileServing(`script-${kind}`);
      expect(await instanceState(t.db.knex, script)).toBe('COMPLETED');
      expect((await rootVariables(t.db.knex, script)).r).toBe(false);

      const condition = await startWhileServing(`condition-${kind}`);
      expect(await instanceState(t.db.knex, condition)).toBe('COMPLETED');
      const ends = await t.db
        .knex('engine.element_instance')
        .where({ process_instance_key: condition, element_type: 'END_EVENT' })
        .pluck('element_id');
      expect(ends).toEqual(['endNo']);

      const mapping = await startWhileServing(`mapping-${kind}`);
      expect(await instanceState(t.db.knex, mapping)).toBe('COMPLETED');
      expect((await rootVariables(t.db.knex, mapping)).r).toBe(false);

      const timer = await startWhileServing(`timer-${kind}`);
      const due = await t.db
        .knex('engine.timer')
        .where({ process_instance_key: timer })
        .first('due_date', 'created_at');
      expect(due.due_date.getTime() - due.created_at.getTime()).toBe(2 * 3600_000);

      const message = await startWhileServing(`message-${kind}`);
      const subscription = await t.db
        .knex('engine.message_subscription')
        .where({ process_instance_key: message })
        .first();
      expect(subscription.correlation_key).toBe('no');
    },
  );

  test.each([
    ['backreference', "'^(a+)+\\1$'"],
    ['backreferenceVariable', "'^(a+)+\\1$'"],
  ])('a pattern only a backtracking engine runs (%s) is an incident saying so, in every use', async (kind, quoted) => {
    for (const use of USES) {
      const pi = await startWhileServing(`${use}-${kind}`);
      expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
      const incident = await activeIncident(pi);
      expect(incident?.element_id).toBe({ condition: 'gw', timer: 'wait', message: 'wait' }[use] ?? 'check');
      expect(incident.error_message).toContain(`matches(): the pattern ${quoted} is not supported`);
      expect(incident.error_message).toContain('matched in linear time');
      expect(incident.error_message).toMatch(/^failed to evaluate expression '(if )?matches\(s, /);
    }
  });

  test('an evaluation that runs past its budget is an incident, and the server answers meanwhile', async () => {
    for (const use of USES) {
      const pi = await startWhileServing(`${use}-loop`);
      expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
      const incident = await activeIncident(pi);
      expect(incident.error_message).toMatch(
        /^failed to evaluate expression '.*': the evaluation exceeded its budget of 1000 ms$/,
      );
      expect(incident.error_message).toContain(cases.loop);
    }
  });
});
