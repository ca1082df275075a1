/** A new DMN document: one decision table, as dmn-js starts one, ready for Camunda 8. */

/** A short random suffix for the ids of a new document, so two new decisions do not clash. */
function suffix(): string {
  return Math.random().toString(36).slice(2, 9);
}

/** The XML of a new decision: one UNIQUE table with one input and one named output, no rules. */
export function blankDmn(): string {
  const s = suffix();
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${s}" name="Decisions" namespace="http://camunda.org/schema/1.0/dmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <decision id="Decision_${s}" name="Decision 1">
    <decisionTable id="DecisionTable_${s}">
      <input id="Input_${s}" label="Input">
        <inputExpression id="InputExpression_${s}" typeRef="string">
          <text></text>
        </inputExpression>
      </input>
      <output id="Output_${s}" label="Output" name="output" typeRef="string" />
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="DMNDiagram_${s}">
      <dmndi:DMNShape id="DMNShape_${s}" dmnElementRef="Decision_${s}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}
