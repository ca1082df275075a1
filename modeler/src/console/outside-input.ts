/** The forms that send outside input: publish a message, broadcast a signal. */
import { api, errorText } from '../shared/api';
import { h, toast } from '../shared/dom';
import { parseJsonObject } from './json-input';

/** The "Publish message" form (`POST /api/messages`). */
export function messageForm(): HTMLElement {
  const name = h('input', { name: 'messageName', required: true, placeholder: 'payment-received' });
  const key = h('input', { name: 'correlationKey', placeholder: 'order-42' });
  const ttl = h('input', { name: 'timeToLive', placeholder: 'PT1M (optional)' });
  const vars = h('textarea', { name: 'messageVariables', rows: 3, placeholder: '{"paid": true}' });
  const result = h('p', { class: 'result muted', 'data-result': 'message' });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const body = await api<{ correlated: string[]; started: string[] }>('/api/messages', {
        json: {
          name: name.value.trim(),
          correlationKey: key.value.trim() || undefined,
          timeToLive: ttl.value.trim() || undefined,
          variables: parseJsonObject(vars.value),
        },
      });
      result.textContent = `Correlated to ${body.correlated.length} instance(s)${body.correlated.length ? ` (${body.correlated.join(', ')})` : ''}; started ${body.started.length}.`;
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };
  return h(
    'form',
    { class: 'card form-grid', id: 'message-form', onsubmit: submit },
    h('h2', {}, 'Publish a message'),
    h('label', {}, 'Message name', name),
    h('label', {}, 'Correlation key', key),
    h('label', {}, 'Time to live', ttl),
    h('label', { class: 'wide' }, 'Variables (JSON)', vars),
    h('div', { class: 'wide row' }, h('button', { type: 'submit', class: 'primary' }, 'Publish'), result),
  );
}

/** The "Broadcast signal" form (`POST /api/signals`). */
export function signalForm(): HTMLElement {
  const name = h('input', { name: 'signalName', required: true, placeholder: 'stock-arrived' });
  const vars = h('textarea', { name: 'signalVariables', rows: 3, placeholder: '{}' });
  const result = h('p', { class: 'result muted', 'data-result': 'signal' });
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const body = await api<{ triggered: number }>('/api/signals', {
        json: { name: name.value.trim(), variables: parseJsonObject(vars.value) },
      });
      result.textContent = `Triggered ${body.triggered} subscription(s).`;
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };
  return h(
    'form',
    { class: 'card form-grid', id: 'signal-form', onsubmit: submit },
    h('h2', {}, 'Broadcast a signal'),
    h('label', {}, 'Signal name', name),
    h('label', { class: 'wide' }, 'Variables (JSON)', vars),
    h('div', { class: 'wide row' }, h('button', { type: 'submit', class: 'primary' }, 'Broadcast'), result),
  );
}
