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
