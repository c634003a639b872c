// bpmn-moddle 10 exports { BpmnModdle } without typings for its ESM entry; the parser treats its objects as `any`.
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: any; warnings: unknown[] }>;
  }
}
