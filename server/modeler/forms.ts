import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';
import { processFiles } from '../camunda/deploy-processes.js';

const zeebeModdle = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json');

/** The folder deployProcesses deploys at start-up: its .form files are the forms the engine has. */
export const PROCESSES_DIR = path.resolve(import.meta.dirname, '../../processes');

export interface FormFile {
  formId: string;
  resourceName: string;
  /** The module folder, as deployed together with its diagrams (e.g. "accounts"). */
  folder: string;
}

/**
 * The .form files of processes/ by form id. Camunda 8.8's API has no form search, so the modeler learns the
 * deployed forms from the files the server deploys, read once per request (a few small files).
 */
export function formFiles(dir = PROCESSES_DIR): Map<string, FormFile> {
  const forms = new Map<string, FormFile>();
  for (const file of processFiles(dir).filter((f) => f.endsWith('.form'))) {
    try {
      const { id } = JSON.parse(fs.readFileSync(file, 'utf8')) as { id?: unknown };
      if (typeof id === 'string')
        forms.set(id, {
          formId: id,
          resourceName: path.basename(file),
          folder: path.relative(dir, path.dirname(file)),
        });
    } catch {
      // not JSON: the deployment rejects it and logs the folder; nothing to list
    }
  }
  return forms;
}

export interface TaskForm {
  elementId: string;
  elementName: string | null;
  /** zeebe:formDefinition formId (linked, deployed form), else formKey or externalReference as written. */
  formId: string | null;
  formKey: string | null;
  externalReference: string | null;
}

/** Each user task of a diagram with the form its zeebe:formDefinition names (null ids when it has none). */
export async function taskForms(xml: string): Promise<TaskForm[]> {
  const { rootElement } = await new BpmnModdle({ zeebe: zeebeModdle }).fromXML(xml, 'bpmn:Definitions');
  const found: TaskForm[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle's element tree has no typings
  const visit = (el: any) => {
    if (el?.$type === 'bpmn:UserTask') {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const def = (el.extensionElements?.values ?? []).find((v: any) => v.$type === 'zeebe:FormDefinition');
      found.push({
        elementId: el.id,
        elementName: el.name ?? null,
        formId: def?.formId ?? null,
        formKey: def?.formKey ?? null,
        externalReference: def?.externalReference ?? null,
      });
    }
    for (const child of [...(el?.rootElements ?? []), ...(el?.flowElements ?? [])]) visit(child);
  };
  visit(rootElement);
  return found;
}
