/**
 * The browser's client of the Baton REST API (see shared/contract/API.md) and of the console read
 * models under `/api/console`. Every call sends `X-Baton-Actor` with the operator's name. When the
 * server has access control on (`baton serve --auth`), a `401` asks once for a bearer token, which is
 * kept in localStorage and sent from then on.
 */
import { getActor } from './actor';
import { h } from './dom';
import { openDialog } from './dialog';
import { EngineError as ApiError } from '../../../engine/src/runtime/api-types';

const TOKEN_KEY = 'baton.token';
/** How often one call asks for a token before it gives up with the 401. */
const MAX_TOKEN_PROMPTS = 3;
let asking: Promise<string | null> | undefined;

/** An error answer of the API: `{"error": {"code", "message", "details"}}` plus the HTTP status (the engine's own error type). */
export { ApiError };

/** Options of {@link api}. */
export interface CallOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (used for BPMN XML). */
  body?: string;
  contentType?: string;
  /** Extra query parameters; undefined and empty values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
}

/** Calls `path` (starting with `/api`) and returns the parsed JSON (or text) answer; rejects with {@link ApiError}. */
export async function api<T = unknown>(path: string, opts: CallOptions = {}): Promise<T> {
  return (await apiCall<T>(path, opts)).body;
}

/** Like {@link api}, with the HTTP status of the answer (a redeploy answers 200, a new deployment 201). */
export async function apiCall<T = unknown>(
  path: string,
  opts: CallOptions = {},
  attempt = 0,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'X-Baton-Actor': getActor() };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = 'application/json';
  } else if (opts.body !== undefined) {
    body = opts.body;
    headers['Content-Type'] = opts.contentType ?? 'text/plain';
  }
  const res = await fetch(path + queryString(opts.query), {
    method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  const parsed: unknown = isJson && text ? JSON.parse(text) : text;
  // a 401 asks for a token; a refused token asks again (a few times), saying it was refused
  if (res.status === 401 && attempt < MAX_TOKEN_PROMPTS && (await askToken(token !== null)))
    return apiCall<T>(path, opts, attempt + 1);
  if (!res.ok) {
    const error = parsed as { error?: { code?: string; message?: string; details?: unknown[] } } | string;
    const e = typeof error === 'object' ? error.error : undefined;
    throw new ApiError(
      res.status,
      e?.code ?? `HTTP_${res.status}`,
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.details ?? [],
    );
  }
  return { status: res.status, body: parsed as T };
}

/** Asks for an access token (one dialog for concurrent calls); true when one was entered. */
async function askToken(rejected: boolean): Promise<boolean> {
  asking ??= (async () => {
    const input = h('input', { type: 'password', id: 'token-input', autocomplete: 'current-password', required: true });
    const token = await openDialog<string>({
      title: rejected ? 'That access token was refused' : 'This server needs an access token',
      confirmLabel: 'Use token',
      body: [
        h(
          'p',
          { class: 'muted' },
          'Ask the administrator for a token (',
          h('code', {}, 'baton serve --auth'),
          '). It is kept in this browser.',
        ),
        h('label', {}, 'Access token', input),
      ],
      focus: input,
      collect: () => input.value.trim() || undefined,
    });
    if (token) localStorage.setItem(TOKEN_KEY, token);
    return token;
  })().finally(() => {
    asking = undefined;
  });
  return !!(await asking);
}

function queryString(query: CallOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && v !== false) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The text of any error, for messages shown to the user. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
