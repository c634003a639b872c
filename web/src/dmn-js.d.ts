// dmn-js 17 ships without type declarations; the decision editor uses this much of its modeler and viewer.
declare module 'dmn-js/lib/Modeler' {
  export interface DmnView {
    id: string;
    type: 'drd' | 'decisionTable' | 'literalExpression' | 'boxedExpression';
    element: { id: string; name?: string; $type: string };
  }
  export interface DmnViewer {
    get<T = unknown>(name: string): T;
  }
  export default class DmnModeler {
    constructor(options: Record<string, unknown>);
    importXML(xml: string, options?: { open?: boolean }): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml: string }>;
    getViews(): DmnView[];
    getActiveView(): DmnView | undefined;
    getActiveViewer(): DmnViewer | undefined;
    getDefinitions(): { id: string; drgElement?: Array<{ id: string; $type: string }> } | undefined;
    open(view: DmnView): Promise<unknown>;
    on(event: string, fn: (event: { views: DmnView[]; activeView?: DmnView }) => void): void;
    destroy(): void;
  }
}

declare module 'dmn-js/lib/NavigatedViewer' {
  import DmnModeler from 'dmn-js/lib/Modeler';
  export default class DmnNavigatedViewer extends DmnModeler {}
}
