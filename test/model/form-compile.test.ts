/**
 * The form checker (engine/src/model/form/compile.ts): what a `.form` must be to deploy — valid JSON
 * (a syntax error names its line), an object with an id, components that are objects with a type and
 * ids of their own, nested at most 32 deep — and what it only warns about (a type form-js lacks).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileForm, MAX_FORM_DEPTH } from '../../engine/src/model/form/compile.js';

describe('compileForm', () => {
  it('accepts a form as Camunda Modeler writes it, with its id and version tag', () => {
    // given the example form, when it is checked, then it deploys under its id
    const text = readFileSync(new URL('../../processes/underwriter-review.form', import.meta.url), 'utf8');
    expect(compileForm(text)).toEqual({
      form: { id: 'underwriter-review', versionTag: 'v1' },
      problems: [],
      warnings: [],
    });
  });

  it('names the line of a JSON syntax error', () => {
    const { form, problems } = compileForm('{\n  "id": "f",\n  "components": [\n    { "type": "textfield", }\n  ]\n}');
    expect(form).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/^Expected a form in valid JSON/) }),
    ]);
  });

  it('refuses what is not an object, a form without an id and a versionTag that is not a string', () => {
    expect(compileForm('[1]').problems[0]!.message).toMatch(/JSON object, but it is an array/);
    expect(compileForm('{"components": []}').problems[0]!.message).toMatch(/have an id .* but it has none/);
    expect(compileForm('{"id": "  "}').problems[0]!.message).toMatch(/have an id/);
    expect(compileForm('{"id": "f", "versionTag": 3}').problems[0]!.message).toMatch(
      /versionTag of the form to be a string/,
    );
    expect(compileForm('').problems[0]!.message).toMatch(/the resource is empty/);
  });

  it('refuses components that are not objects with a type, keys that are not strings and ids used twice', () => {
    const text = JSON.stringify({
      id: 'f',
      components: [
        'text',
        { id: 'A', label: 'no type' },
        { id: 'B', type: 'textfield', key: 7 },
        { id: 'B', type: 'number', key: 'n' },
        { id: 'G', type: 'group', components: { not: 'a list' } },
      ],
    });
    const messages = compileForm(text).problems.map((p) => `${p.elementId}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^f: Expected component 1 of f to be an object, but found "text"/),
      expect.stringMatching(/^A: Expected component A to have a type/),
      expect.stringMatching(/^B: Expected the key of B to be a string/),
      expect.stringMatching(/^B: Expected every component id to be unique, but "B" is used twice/),
      expect.stringMatching(/^G: Expected the components of G to be an array/),
    ]);
  });

  it('warns about a component type form-js does not render, and deploys the form', () => {
    const { form, warnings } = compileForm(JSON.stringify({ id: 'f', components: [{ id: 'X', type: 'signature' }] }));
    expect(form).toEqual({ id: 'f' });
    expect(warnings).toEqual([
      expect.objectContaining({ elementId: 'X', message: expect.stringMatching(/"signature"/) }),
    ]);
  });

  it(`refuses groups nested deeper than ${MAX_FORM_DEPTH} levels, and JSON too deep to parse, without throwing`, () => {
    let group: Record<string, unknown> = { id: 'leaf', type: 'textfield', key: 'x' };
    for (let i = 0; i < MAX_FORM_DEPTH + 2; i++) group = { id: `g${i}`, type: 'group', components: [group] };
    expect(compileForm(JSON.stringify({ id: 'f', components: [group] })).problems[0]!.message).toMatch(
      /nest at most 32 levels deep/,
    );
    for (const deep of [`${'['.repeat(200_000)}${']'.repeat(200_000)}`, '['.repeat(200_000), '{"a":'.repeat(100_000)]) {
      expect(() => compileForm(deep)).not.toThrow();
      expect(compileForm(deep).form).toBeNull();
    }
  });
});
