/**
 * Type shims for dmn-moddle 12 (it ships no declarations) and the zeebe-dmn-moddle schema JSON.
 * Elements are read through the same dynamic {@link ModdleElement} shape as bpmn-moddle's.
 */
declare module 'dmn-moddle' {
  import type { FromXmlResult } from 'bpmn-moddle';

  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }
}

declare module 'zeebe-dmn-moddle/resources/zeebe.json' {
  const schema: Record<string, unknown>;
  export default schema;
}
