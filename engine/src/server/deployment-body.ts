/**
 * The resources of a `POST /api/deployments` body, in the three shapes it accepts:
 * - one XML document (BPMN or DMN, told apart by its root element), with an XML content type,
 *   `application/octet-stream` or none — the contract's original form;
 * - `multipart/form-data` with any number of files (field `resources` as Camunda's `/v2` names it,
 *   or any other field), each named by its file name; a text part named `resources` is a resource
 *   without a name;
 * - JSON `{"resources": [{"name": "a.bpmn", "content": "…"}]}`.
 * Whatever the shape, the deployment itself happens in the runtime (runtime/deploy.ts).
 */
import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import { EngineError } from '../runtime/api-types.js';
import { MAX_RESOURCES, type DeploymentResource } from '../runtime/deploy-compile.js';
import { invalidField } from './validate.js';

/**
 * The resources of a deployment request whose raw body is `body` (undefined when it had none).
 * With `fields`, multipart text parts of those names (e.g. Camunda's `tenantId`) are kept there
 * instead of being refused.
 */
export async function deploymentResources(
  headers: IncomingHttpHeaders,
  body: Buffer | undefined,
  fields?: { names: readonly string[]; values: Record<string, string> },
): Promise<string | DeploymentResource[]> {
  if (!body || body.length === 0 || decode(body).trim() === '') {
    throw new EngineError(400, 'INVALID_BPMN', 'The request body is empty; expected one BPMN XML document.', [
      { elementId: null, line: null, message: 'empty document' },
    ]);
  }
  const type = (headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/')) return multipart(headers, body, fields);
  const text = decode(body);
  const xml = /\bxml\b/.test(type);
  if (/^application\/(.+\+)?json\b/.test(type) || (!xml && text.trimStart().startsWith('{'))) return envelope(text);
  return text;
}

/** UTF-8 text without a byte order mark. */
function decode(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** `{"resources": [{name, content}]}`. */
function envelope(text: string): DeploymentResource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new EngineError(400, 'INVALID_JSON', `Request body is not valid JSON: ${(err as Error).message}`);
  }
  const list = (parsed as { resources?: unknown } | null)?.resources;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(list))
    throw invalidField('resources', 'is required and must be an array of {"name", "content"}');
  if (list.length > MAX_RESOURCES) throw invalidField('resources', `must hold at most ${MAX_RESOURCES} resources`);
  return list.map((item: unknown, i) => {
    const r = item as { name?: unknown; content?: unknown } | null;
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw invalidField(`resources[${i}]`, 'must be an object {"name", "content"}');
    if (typeof r.content !== 'string')
      throw invalidField(`resources[${i}].content`, 'is required and must be a string');
    if (r.name !== undefined && r.name !== null && typeof r.name !== 'string')
      throw invalidField(`resources[${i}].name`, 'must be a string');
    return typeof r.name === 'string' ? { name: r.name, content: r.content } : { content: r.content };
  });
}

/** The files (and `resources` text parts) of a multipart body, in the order they were sent. */
function multipart(
  headers: IncomingHttpHeaders,
  body: Buffer,
  fields?: { names: readonly string[]; values: Record<string, string> },
): Promise<DeploymentResource[]> {
  return new Promise((resolve, reject) => {
    const bad = (message: string) =>
      reject(new EngineError(400, 'INVALID_REQUEST', message, [{ field: '(body)', message }]));
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        limits: { files: MAX_RESOURCES, fields: MAX_RESOURCES, parts: MAX_RESOURCES, fieldSize: body.length },
      });
    } catch (err) {
      bad(`Expected a multipart/form-data body with a boundary, but ${(err as Error).message}`);
      return;
    }
    const parts: ({ name?: string; content?: string } | string)[] = [];
    parser.on('file', (_field, stream, info) => {
      const part: { name?: string; content?: string } = info.filename ? { name: info.filename } : {};
      parts.push(part);
      const chunks: Buffer[] = [];
      stream.on('error', () => {}); // a cut-off body: the parser's own 'error' answers it
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (part.content = decode(Buffer.concat(chunks))));
    });
    parser.on('field', (field, value) => {
      if (field === 'resources') parts.push({ content: value });
      else if (fields?.names.includes(field)) fields.values[field] = value;
      else
        parts.push(
          `Expected only files (or a text part named "resources") in a deployment, but the text part "${field}" came`,
        );
    });
    const tooMany = () => bad(`Expected at most ${MAX_RESOURCES} parts in a deployment, but more came`);
    parser.on('filesLimit', tooMany);
    parser.on('fieldsLimit', tooMany);
    parser.on('partsLimit', tooMany);
    parser.on('error', (err: Error) => bad(`Expected a well-formed multipart/form-data body, but ${err.message}`));
    parser.on('close', () => {
      const refused = parts.find((p): p is string => typeof p === 'string');
      if (refused !== undefined) return bad(refused);
      if (parts.length === 0) return bad('Expected at least one file in the multipart deployment, but it has none');
      const files = parts as { name?: string; content?: string }[];
      resolve(files.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), content: p.content ?? '' })));
    });
    parser.end(body);
  });
}
