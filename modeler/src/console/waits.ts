/**
 * The "Waiting for" card of the instance page: what a running instance waits for and the way on.
 * A job waits for a worker of its type (the two curl commands of an outside worker, or the
 * `--handlers` flag that runs it inside the server); a user task for someone in its group (a link
 * to it in the tasklist); a message or signal for its name (the curl command); a timer for its time.
 */
import { api } from '../shared/api';
import { formatTime, h, mount } from '../shared/dom';
import type { InstanceWaits, UserTask } from '../shared/types';

const enc = encodeURIComponent;

/** What the card shows: the read model plus the instance's open user tasks. */
export interface Waits {
  waits: InstanceWaits;
  tasks: UserTask[];
}

/** Reads what instance `id` waits for. */
export async function loadWaits(id: string): Promise<Waits> {
  const [waits, tasks] = await Promise.all([
    api<InstanceWaits>(`/api/console/instances/${enc(id)}/waits`),
    api<UserTask[]>('/api/user-tasks', { query: { instanceId: id } }),
  ]);
  return { waits, tasks };
}

/** A string as one shell word in single quotes. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `curl` posting `body` as JSON to `path` of this server. */
export function curlPost(path: string, body: unknown): string {
  return `curl -s -X POST ${location.origin}${path} -H 'content-type: application/json' -d ${shellQuote(JSON.stringify(body))}`;
}

/**
 * Renders the card into `el` (hidden when nothing waits). `nameOf` gives an element's name in the
 * diagram; `suspended` adds that nothing moves until the instance is resumed.
 */
export function waitsPanel(
  el: HTMLElement,
  { waits, tasks }: Waits,
  nameOf: (id: string) => string,
  suspended: boolean,
) {
  const items = [
    ...waits.jobs.map((job) => jobItem(job, nameOf)),
    ...tasks.map((task) => taskItem(task, nameOf)),
    ...waits.subscriptions.map((s) => subscriptionItem(s, nameOf)),
    ...waits.timers.map((t) =>
      item('timer', t.elementId, [what(nameOf(t.elementId)), ` is waiting for its timer, due ${formatTime(t.dueAt)}.`]),
    ),
  ];
  el.hidden = items.length === 0;
  mount(
    el,
    h('h2', {}, 'Waiting for'),
    suspended ? h('p', { class: 'muted' }, 'The instance is suspended: nothing moves on until it is resumed.') : null,
    h('ul', { class: 'wait-list' }, items),
  );
}

function item(kind: string, elementId: string, ...children: (Node | string | null | (Node | string)[])[]) {
  return h('li', { 'data-wait': kind, 'data-element-id': elementId }, children);
}

function what(name: string): HTMLElement {
  return h('strong', {}, name);
}

/** A command the user can copy: the text, and a button that copies it. */
function command(text: string): HTMLElement {
  const copy = h('button', { type: 'button', class: 'secondary small copy', title: 'Copy to the clipboard' }, 'Copy');
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(
      () => (copy.textContent = 'Copied'),
      () => (copy.textContent = 'Select and copy'),
    );
  });
  return h('div', { class: 'command' }, h('pre', { class: 'mono' }, text), copy);
}

type Job = InstanceWaits['jobs'][number];

function jobItem(job: Job, nameOf: (id: string) => string): HTMLElement {
  const head = h(
    'p',
    { class: 'wait-head' },
    what(nameOf(job.elementId)),
    ' is waiting for a worker of type ',
    h('code', { 'data-job-type': job.type }, job.type),
    '.',
  );
  const failed = job.errorMessage
    ? h(
        'p',
        { class: 'bad' },
        `The last attempt failed: ${job.errorMessage}. `,
        job.retryAt ? `It can be fetched again at ${formatTime(job.retryAt)}; ` : '',
        `${job.retries} ${job.retries === 1 ? 'retry' : 'retries'} left.`,
      )
    : null;
  return item('job', job.elementId, head, failed, wayOn(job));
}

/** How the job moves on: a handler of the server runs it, the worker holding it completes it, or be that worker. */
function wayOn(job: Job): (Node | string)[] {
  const complete = command(curlPost(`/api/jobs/${enc(job.key)}/complete`, { variables: {} }));
  if (job.inProcess) return [h('p', { class: 'muted' }, 'A handler inside this server runs it.')];
  if (job.worker)
    return [
      h(
        'p',
        {},
        'Worker ',
        h('strong', {}, job.worker),
        ` has fetched it (locked until ${formatTime(job.lockedUntil)}) and completes it with:`,
      ),
      complete,
    ];
  return [
    h(
      'p',
      {},
      'No worker has fetched it yet. Be the worker from a terminal: fetch and lock the job, then complete it:',
    ),
    command(curlPost('/api/jobs/activate', { type: job.type, worker: 'me', maxJobs: 1 })),
    complete,
    h(
      'p',
      { class: 'muted' },
      'Put the worker’s results into "variables". Or let the server run it: restart it with an in-process handler for ',
      h('code', {}, job.type),
      ', e.g. ',
      h('code', { class: 'handlers-flag' }, 'npm start -- --handlers processes/handlers.mjs'),
      ' (that file has one for every example process).',
    ),
  ];
}

function taskItem(task: UserTask, nameOf: (id: string) => string): HTMLElement {
  const who = task.assignee
    ? ['its assignee ', h('strong', {}, task.assignee)]
    : task.candidateGroups.length
      ? [
          `someone in ${task.candidateGroups.length > 1 ? 'groups' : 'group'} `,
          h('strong', {}, task.candidateGroups.join(', ')),
        ]
      : ['someone'];
  const query = new URLSearchParams();
  if (!task.assignee && task.candidateGroups.length === 1) query.set('candidateGroup', task.candidateGroups[0]!);
  query.set('task', task.id);
  return item(
    'user-task',
    task.elementId,
    h(
      'p',
      { class: 'wait-head' },
      what(task.name ?? nameOf(task.elementId)),
      ' is waiting for ',
      who,
      ' to complete it. ',
      h('a', { href: `#/tasks?${query}`, 'data-task-link': task.id }, 'Open it in Tasks'),
    ),
  );
}

function subscriptionItem(s: InstanceWaits['subscriptions'][number], nameOf: (id: string) => string): HTMLElement {
  if (s.kind === 'signal')
    return item(
      'signal',
      s.elementId,
      h(
        'p',
        { class: 'wait-head' },
        what(nameOf(s.elementId)),
        ' is waiting for the signal ',
        h('code', {}, s.name),
        '.',
      ),
      command(curlPost('/api/signals', { name: s.name })),
    );
  if (s.kind !== 'message')
    return item(
      s.kind,
      s.elementId,
      h(
        'p',
        { class: 'wait-head' },
        what(nameOf(s.elementId)),
        ` is waiting for the ${s.kind} `,
        h('code', {}, s.name),
        '.',
      ),
    );
  return item(
    'message',
    s.elementId,
    h(
      'p',
      { class: 'wait-head' },
      what(nameOf(s.elementId)),
      ' is waiting for the message ',
      h('code', {}, s.name),
      s.correlationKey !== null ? [' with correlation key ', h('code', {}, s.correlationKey)] : '',
      '. Publish it under Processes or with:',
    ),
    command(
      curlPost('/api/messages', {
        name: s.name,
        ...(s.correlationKey !== null ? { correlationKey: s.correlationKey } : {}),
        variables: {},
      }),
    ),
  );
}
