// The bpmn-js extensions the modeler loads ship without type declarations. They are diagram-js modules (didi module
// declarations), and that is all the modeler does with them: hand them to `additionalModules`.
type DiagramModule = import('diagram-js/lib/Diagram').DiagramOptions extends { modules?: Array<infer M> } ? M : never;

declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: DiagramModule;
  export const BpmnPropertiesProviderModule: DiagramModule;
  export const ZeebePropertiesProviderModule: DiagramModule;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const ZeebeBehaviorsModule: DiagramModule;
  export default ZeebeBehaviorsModule;
}
