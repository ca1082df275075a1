/**
 * Truncated and otherwise broken XML gets a message a person can act on, at the place where the
 * problem is: for a file cut short that is where it ends, not line 1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/src/model/compile.js';
import { checkXml } from '../../engine/src/model/xml-check.js';

const EXAMPLE = readFileSync(join(import.meta.dirname, '..', '..', 'processes', 'order-approval.bpmn'), 'utf8');

/** The example cut right after the first occurrence of `marker`. */
function cutAfter(marker: string): string {
  const at = EXAMPLE.indexOf(marker);
  expect(at, marker).toBeGreaterThan(0);
  return EXAMPLE.slice(0, at + marker.length);
}

/** 1-based line and column just after the last character of `text`. */
function endOf(text: string): { line: number; column: number } {
  const lines = text.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

describe('a file cut short', () => {
  it('between elements: names the innermost open element and where the text ends', async () => {
    // given the example cut after a label's start tag, five elements deep
    const xml = cutAfter('<bpmndi:BPMNLabel>');
    // when compiled
    const { problems, processes } = await compileBpmn(xml);
    // then one problem at the last line says what is open and that the file looks cut short
    const end = endOf(xml);
    expect(processes).toEqual([]);
    expect(problems).toEqual([
      {
        elementId: null,
        line: end.line,
        message:
          `Expected the XML to go on and close <bpmndi:BPMNLabel> (and 4 elements around it, up to <bpmn:definitions>), ` +
          `but it ends at line ${end.line}, column ${end.column}: the file looks cut short`,
      },
    ]);
    expect(problems[0]!.message).not.toContain('[');
  });

  it('with only the root open: names the root', () => {
    // given everything up to the closing tag of the diagram
    const xml = cutAfter('</bpmndi:BPMNDiagram>\n');
    // when checked
    const [problem] = checkXml(xml);
    // then the root element is the one left open, at the last line with text
    const end = endOf(xml.trimEnd());
    expect(problem).toEqual({
      elementId: null,
      line: end.line,
      message: `Expected the XML to go on and close <bpmn:definitions>, but it ends at line ${end.line}, column ${end.column}: the file looks cut short`,
    });
  });

  it('inside a start tag: names the tag it ends in', () => {
    // given the example cut in the middle of an attribute value
    const xml = cutAfter('<bpmndi:BPMNEdge id="Flow_Deci');
    // when checked
    const [problem] = checkXml(xml);
    // then the problem is where the text ends, inside that tag
    const end = endOf(xml);
    expect(problem).toEqual({
      elementId: null,
      line: end.line,
      message: `Expected the XML to go on and finish the tag <bpmndi:BPMNEdge, but it ends inside it at line ${end.line}, column ${end.column}: the file looks cut short`,
    });
  });

  it('inside an end tag or right after "<": still says so', () => {
    // given cuts in an end tag and after a bare "<"
    for (const marker of ['</bpmn:ext', '<zeebe:taskDefinition type="check-stock" />\n      <']) {
      const xml = cutAfter(marker);
      // when checked
      const [problem] = checkXml(xml);
      // then the message names the end of the text
      const end = endOf(xml);
      expect(problem?.line, marker).toBe(end.line);
      expect(problem?.message, marker).toContain(`ends inside it at line ${end.line}, column ${end.column}`);
    }
  });

  it('at every length: always one problem, never at line 1 unless the text is one line, never a raw list', () => {
    // given every prefix of the example that is not a whole document
    for (let length = 1; length < EXAMPLE.trimEnd().length; length += 7) {
      const xml = EXAMPLE.slice(0, length);
      // when checked
      const problems = checkXml(xml);
      // then one located problem, in words
      expect(problems, `length ${length}`).toHaveLength(1);
      const [problem] = problems;
      expect(problem!.message).toMatch(/^Expected /);
      expect(problem!.message).not.toMatch(/Invalid '\[/);
      if (xml.trimEnd().includes('\n') && xml.lastIndexOf('<') > xml.indexOf('\n'))
        expect(problem!.line, `length ${length}`).toBeGreaterThan(1);
    }
  });
});

describe('broken XML that is not cut short', () => {
  it('keeps the place the parser found: a wrong end tag', () => {
    // given a wrong end tag on line 3 in a document that ends properly
    const [problem] = checkXml('<a>\n<b>\n</c>\n</a>');
    // then the problem is at line 3 and names both tags
    expect(problem).toEqual({
      elementId: null,
      line: 3,
      message:
        "Expected well-formed XML, but at line 3, column 1: Expected closing tag 'b' (opened in line 2, col 1) instead of closing tag 'c'.",
    });
  });

  it('does not blame the end of the text for an earlier broken tag', () => {
    // given an attribute without quotes on line 2, and a document that also ends mid-tag
    const [problem] = checkXml('<a>\n<b x=1/>\n<c');
    // then the earlier problem is reported
    expect(problem!.line).toBe(2);
    expect(problem!.message).not.toContain('cut short');
  });

  it('says when there is no element at all', () => {
    // given only an XML declaration
    const [problem] = checkXml('<?xml version="1.0" encoding="UTF-8"?>\n');
    // then the message asks for a root element
    expect(problem).toEqual({
      elementId: null,
      line: 1,
      message: 'Expected a root element such as <bpmn:definitions>, but the document has none',
    });
  });
});

describe('a well-formed document that is not BPMN', () => {
  it('names the root element it found', async () => {
    // given an HTML page on line 2
    const { problems } = await compileBpmn('<?xml version="1.0"?>\n<html><body/></html>');
    // then the problem names the root element and where the BPMN one belongs
    expect(problems).toEqual([
      {
        elementId: null,
        line: 2,
        message:
          'Expected a <bpmn:definitions> document (namespace http://www.omg.org/spec/BPMN/20100524/MODEL), but the root element is <html>',
      },
    ]);
  });

  it('says when the root has the right name but another namespace', async () => {
    const { problems } = await compileBpmn('<bpmn:definitions xmlns:bpmn="http://example.com/not-bpmn"/>');
    expect(problems[0]!.message).toBe(
      'Expected a <bpmn:definitions> document (namespace http://www.omg.org/spec/BPMN/20100524/MODEL), but the root element is <bpmn:definitions> in namespace http://example.com/not-bpmn',
    );
  });
});
