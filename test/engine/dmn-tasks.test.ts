import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState, rootVariables } from '../support/records.js';
import { dmn, file, jobRuleTaskProcess, ruleTaskProcess, tableXml } from './dmn-models.js';

/**
 * Business-rule tasks with zeebe:calledDecision (Camunda 8.8 docs: Business rule tasks — the decision is
 * evaluated on activation in the task's scope, its result set as resultVariable; a decision that is not
 * deployed raises CALLED_DECISION_ERROR, a failed evaluation DECISION_EVALUATION_ERROR, and resolving the
 * incident evaluates again). A business-rule task with zeebe:taskDefinition stays a job.
 */
let t: TestEngine;
const consistency = { consistency: { waitUpToMs: 0 } } as never;

const tariff = (rate: string) =>
  dmn(
    'tariff-graph',
    tableXml({
      id: 'tariff',
      name: 'Tariff',
      inputs: ['customerClass'],
      outputs: [{ name: 'rate' }],
      rules: [
        [['"residential"'], [rate]],
        [['"commercial"'], ['6']],
      ],
    }),
  );

beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

async function activateOne(type: string, processInstanceKey: string) {
  return eventually(async () => {
    const { jobs } = await t.client.activateJobs({
      type,
      maxJobsToActivate: 10,
      timeout: 30000,
      worker: 'w',
      requestTimeout: -1,
    } as never);
    return jobs.find((j) => j.processInstanceKey === processInstanceKey);
  });
}

async function openIncidents(processInstanceKey: string) {
  const { items } = await t.client.searchIncidents(
    { filter: { processInstanceKey, state: 'ACTIVE' } } as never,
    consistency,
  );
  return items ?? [];
}

test('a DMN and a BPMN deployed together; the task sets resultVariable; the restart mid-flow loses nothing', async () => {
  const deployment = await t.client.createDeployment({
    resources: [
      file('tariff.dmn', tariff('3.5')),
      file('rate-lookup.bpmn', ruleTaskProcess('rate-lookup', 'tariff', 'rate')),
    ],
  });
  expect(deployment.processes.map((p) => p.processDefinitionId)).toEqual(['rate-lookup']);
  expect(deployment.decisions.map((d) => d.decisionDefinitionId)).toEqual(['tariff']);
  expect(deployment.decisionRequirements.map((d) => d.decisionRequirementsId)).toEqual(['tariff-graph']);

  const pi = await t.client.createProcessInstance({
    processDefinitionId: 'rate-lookup' as never,
    variables: { customerClass: 'residential' },
  });
  expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ customerClass: 'residential', rate: 3.5 });
  expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual(['start', 'decide']);

  await t.restart();
  const job = await activateOne('after-decision', pi.processInstanceKey);
  expect(job.variables).toMatchObject({ rate: 3.5 });
  await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
  expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');

  const { items } = await t.client.searchDecisionInstances(
    { filter: { processInstanceKey: pi.processInstanceKey } } as never,
    consistency,
  );
  expect(items).toHaveLength(1);
  expect(items![0]).toMatchObject({
    decisionDefinitionId: 'tariff',
    state: 'EVALUATED',
    result: '3.5',
    processInstanceKey: pi.processInstanceKey,
    processDefinitionKey: pi.processDefinitionKey,
    decisionDefinitionType: 'DECISION_TABLE',
  });
  const records = await t.db.knex('engine.record').where({
    process_instance_key: pi.processInstanceKey,
    value_type: 'DECISION_EVALUATION',
  });
  expect(records.map((r) => r.intent)).toEqual(['EVALUATED']);
});

test('binding type latest takes the newest version; deployment takes the one deployed with the process', async () => {
  await t.client.createDeployment({
    resources: [
      file('tariff.dmn', tariff('3.7')),
      file('bound.bpmn', ruleTaskProcess('bound-rate', 'tariff', 'rate', ' bindingType="deployment"')),
    ],
  });
  await t.client.createDeployment({ resources: [file('tariff.dmn', tariff('3.9'))] });
  const latest = await t.client.createProcessInstance({
    processDefinitionId: 'rate-lookup' as never,
    variables: { customerClass: 'residential' },
  });
  expect((await rootVariables(t.db.knex, latest.processInstanceKey)).rate).toBe(3.9);
  const bound = await t.client.createProcessInstance({
    processDefinitionId: 'bound-rate' as never,
    variables: { customerClass: 'residential' },
  });
  expect((await rootVariables(t.db.knex, bound.processInstanceKey)).rate).toBe(3.7);
});

test('a decision not deployed raises CALLED_DECISION_ERROR; deploying it and resolving goes on', async () => {
  await t.client.createDeployment({
    resources: [file('missing.bpmn', ruleTaskProcess('missing-decision', 'late_tariff', 'rate'))],
  });
  const pi = await t.client.createProcessInstance({
    processDefinitionId: 'missing-decision' as never,
    variables: { customerClass: 'commercial' },
  });
  const [incident] = await openIncidents(pi.processInstanceKey);
  expect(incident).toMatchObject({ errorType: 'CALLED_DECISION_ERROR', elementId: 'decide' });
  expect(incident.errorMessage).toContain("'late_tariff'");

  await t.client.createDeployment({
    resources: [file('late.dmn', tariff('3.5').replaceAll('tariff', 'late_tariff'))],
  });
  await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
  expect((await rootVariables(t.db.knex, pi.processInstanceKey)).rate).toBe(6);
  expect(await openIncidents(pi.processInstanceKey)).toHaveLength(0);
});

test('a failed evaluation raises DECISION_EVALUATION_ERROR and stores a FAILED decision instance', async () => {
  const overlap = dmn(
    'overlap-graph',
    tableXml({
      id: 'overlap',
      inputs: ['x'],
      outputs: [{ name: 'y' }],
      rules: [
        [['> 0'], ['1']],
        [['> 1'], ['2']],
      ],
    }),
  );
  await t.client.createDeployment({
    resources: [file('overlap.dmn', overlap), file('overlap.bpmn', ruleTaskProcess('overlap-process', 'overlap', 'y'))],
  });
  const pi = await t.client.createProcessInstance({
    processDefinitionId: 'overlap-process' as never,
    variables: { x: 5 },
  });
  const [incident] = await openIncidents(pi.processInstanceKey);
  expect(incident).toMatchObject({ errorType: 'DECISION_EVALUATION_ERROR', elementId: 'decide' });
  expect(incident.errorMessage).toBe(
    "Expected to evaluate decision 'overlap', but multiple values aren't allowed for UNIQUE hit policy. " +
      "found: 'List(Map(y -> ValNumber(1)), Map(y -> ValNumber(2)))'",
  );
  const { items } = await t.client.searchDecisionInstances(
    { filter: { processInstanceKey: pi.processInstanceKey, state: 'FAILED' } } as never,
    consistency,
  );
  expect(items).toHaveLength(1);
  expect(items![0].evaluationFailure).toBe(incident.errorMessage);
  // The failed decision instance shows what was evaluated before the failure: the input and both matched rules.
  const failed = await t.client.getDecisionInstance(
    { decisionEvaluationInstanceKey: items![0].decisionEvaluationInstanceKey } as never,
    consistency,
  );
  expect(failed.evaluatedInputs).toMatchObject([{ inputValue: '5' }]);
  expect(failed.matchedRules!.map((r) => r.ruleIndex)).toEqual([1, 2]);

  // Fix the variable and resolve: the task evaluates again.
  await t.client.createElementInstanceVariables({
    elementInstanceKey: pi.processInstanceKey,
    variables: { x: 1 },
  } as never);
  await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
  expect((await rootVariables(t.db.knex, pi.processInstanceKey)).y).toBe(1);
});

test('a business-rule task with a job worker task definition stays a job task', async () => {
  await t.client.createDeployment({ resources: [file('job-rule.bpmn', jobRuleTaskProcess('job-rule'))] });
  const pi = await t.client.createProcessInstance({ processDefinitionId: 'job-rule' as never, variables: {} });
  const job = await activateOne('rule-worker', pi.processInstanceKey);
  expect(job.elementId).toBe('decide');
  await t.client.completeJob({ jobKey: job.jobKey, variables: { decided: true } });
  expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
});

test('a multi-instance business-rule task evaluates per item; output mappings keep resultVariable local', async () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d_mi" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="rates-per-class" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:businessRuleTask id="decide">
      <bpmn:extensionElements>
        <zeebe:calledDecision decisionId="tariff" resultVariable="rate" />
        <zeebe:ioMapping><zeebe:output source="=rate * 10" target="tenfold" /></zeebe:ioMapping>
      </bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=classes" inputElement="customerClass" outputCollection="rates" outputElement="=tenfold" />
        </bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
  await t.client.createDeployment({ resources: [file('tariff.dmn', tariff('3.9')), file('mi.bpmn', xml)] });
  const pi = await t.client.createProcessInstance({
    processDefinitionId: 'rates-per-class' as never,
    variables: { classes: ['residential', 'commercial', 'residential'] },
  });
  expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  const vars = await rootVariables(t.db.knex, pi.processInstanceKey);
  expect(vars.rates).toEqual([39, 60, 39]);
  expect(vars).not.toHaveProperty('rate');
  const { items } = await t.client.searchDecisionInstances(
    { filter: { processInstanceKey: pi.processInstanceKey } } as never,
    consistency,
  );
  expect(items).toHaveLength(3);
});
