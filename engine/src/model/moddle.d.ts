/**
 * Minimal type shims for bpmn-moddle 10 (its main entry ships no declarations) and for the
 * zeebe-bpmn-moddle schema JSON. Moddle elements are dynamic objects; the compiler reads them
 * through {@link ModdleElement} and exposes only the plain types of `types.ts`.
 */
declare module 'bpmn-moddle' {
  /** Any element of a parsed BPMN document (bpmn:*, zeebe:*, or a generic foreign element). */
  export interface ModdleElement {
    readonly $type: string;
    readonly $parent?: ModdleElement;
    readonly $attrs?: Record<string, string>;
    $instanceOf(type: string): boolean;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly [property: string]: any;
  }

  /** A warning bpmn-moddle collects while reading (unknown element/attribute, unresolved reference). */
  export interface ModdleWarning {
    readonly message: string;
    readonly element?: ModdleElement;
    readonly property?: string;
    readonly value?: string;
    readonly error?: Error;
  }

  export interface FromXmlResult {
    readonly rootElement: ModdleElement;
    readonly warnings: ModdleWarning[];
    readonly elementsById: Record<string, ModdleElement>;
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }
}

declare module 'zeebe-bpmn-moddle/resources/zeebe.json' {
  const schema: Record<string, unknown>;
  export default schema;
}
