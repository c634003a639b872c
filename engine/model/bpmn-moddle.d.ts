// bpmn-moddle 10 exports { BpmnModdle } without typings for its ESM entry; the parser treats its objects as `any`.
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- moddle's element tree has no typings
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: any; warnings: unknown[] }>;
  }
}
