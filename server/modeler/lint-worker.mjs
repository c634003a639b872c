// Runs bpmnlint in a worker thread under tsx: bpmnlint is CommonJS yet requires the ESM-only min-dash, which plain
// Node 20 (and Jest's module system) cannot load; tsx's loader can. Messages: { id, xml } → { id, problems | error }.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const zeebeModdle = require('zeebe-bpmn-moddle/resources/zeebe.json');

// Camunda's own compatibility rules for the version we speak (8.8), as Camunda Modeler applies them.
const linter = new Linter({
  config: { extends: 'plugin:camunda-compat/camunda-cloud-8-8' },
  resolver: new NodeResolver(),
});

parentPort.on('message', async ({ id, xml }) => {
  try {
    let root;
    try {
      root = (await new BpmnModdle({ zeebe: zeebeModdle }).fromXML(xml, 'bpmn:Definitions')).rootElement;
    } catch (err) {
      parentPort.postMessage({
        id,
        problems: [{ elementId: '', message: err.message, category: 'error', rule: 'xml' }],
      });
      return;
    }
    const results = await linter.lint(root);
    const problems = Object.entries(results).flatMap(([rule, reports]) =>
      reports.map((r) => ({ elementId: r.id, message: r.message, category: r.category, rule })),
    );
    parentPort.postMessage({ id, problems });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.message ?? err) });
  }
});
