/** Module shims for packages that ship no types, and for CSS side-effect imports (bundled by esbuild). */
declare module '*.css';

declare module 'bpmn-js-properties-panel' {
  import type { ModuleDeclaration } from 'didi';
  /** didi modules; the package ships no declarations. */
  export const BpmnPropertiesPanelModule: ModuleDeclaration;
  export const BpmnPropertiesProviderModule: ModuleDeclaration;
  export const ZeebePropertiesProviderModule: ModuleDeclaration;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  import type { ModuleDeclaration } from 'didi';
  const ZeebeBehaviorsModule: ModuleDeclaration;
  export default ZeebeBehaviorsModule;
}

declare module 'dmn-js/lib/Modeler' {
  /** One view of a DMN document: the requirements diagram, or one decision's table or expression. */
  export interface DmnView {
    type: string;
    element: { id: string; name?: string };
  }
  /** The part of a view's editor used here. */
  interface DmnViewer {
    on(event: string, listener: (...args: unknown[]) => void): void;
    get<T = unknown>(name: string): T;
  }
  /** dmn-js's editor (the package ships no declarations). */
  export default class DmnModeler {
    constructor(options: Record<string, unknown>);
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml: string }>;
    getViews(): DmnView[];
    getActiveView(): DmnView | undefined;
    getActiveViewer(): DmnViewer | undefined;
    getDefinitions(): { id: string } | undefined;
    open(view: DmnView): Promise<unknown>;
    on(event: string, listener: (...args: unknown[]) => void): void;
  }
}

declare module '@camunda/linting' {
  /** The linter Camunda Modeler uses (the package ships no declarations). */
  export class Linter {
    constructor(options?: { modeler?: 'desktop' | 'web'; type?: 'cloud' | 'platform'; plugins?: unknown[] });
    lint(contents: string | object): Promise<unknown[]>;
  }
}

declare module '@camunda/linting/modeler' {
  import type { ModuleDeclaration } from 'didi';
  /** bpmn-js module: lint annotations on the canvas and errors in the properties panel. */
  const LintingModule: ModuleDeclaration;
  export default LintingModule;
}
