/**
 * The frame shared by both pages: the top bar with the navigation (Modeler, Processes, Instances,
 * Tasks, Dashboard, Operations, Audit) and the operator name, which is stored in localStorage and sent as `X-Baton-Actor`.
 */
import { getActor, setActor } from './actor';
import { h } from './dom';

/** Navigation entries: the modeler is its own page (own bundle), the rest are hash routes of the console. */
const NAV = [
  { id: 'modeler', label: 'Modeler', href: '/modeler.html' },
  { id: 'processes', label: 'Processes', href: '/#/processes' },
  { id: 'instances', label: 'Instances', href: '/#/instances' },
  { id: 'tasks', label: 'Tasks', href: '/#/tasks' },
  { id: 'dashboard', label: 'Dashboard', href: '/#/dashboard' },
  { id: 'operations', label: 'Operations', href: '/#/operations' },
  { id: 'audit', label: 'Audit', href: '/#/audit' },
] as const;

/** A navigation entry id. */
export type NavId = (typeof NAV)[number]['id'];

/** Renders the top bar into `#topbar` and returns a function that marks the current entry. */
export function renderShell(): (current: NavId | null) => void {
  const bar = document.getElementById('topbar')!;
  const links = NAV.map((n) => h('a', { href: n.href, 'data-nav': n.id }, n.label));
  const actor = h('input', {
    id: 'actor',
    type: 'text',
    value: getActor(),
    size: 10,
    'aria-label': 'Your name (recorded with operator actions)',
    title: 'Your name, recorded with every operator action',
    onchange: (e: Event) => setActor((e.target as HTMLInputElement).value),
  });
  bar.replaceChildren(
    h('a', { class: 'brand', href: '/#/processes' }, h('span', { class: 'brand-mark' }, '◆'), 'Baton'),
    h('nav', {}, links),
    h('label', { class: 'actor' }, 'Operator ', actor),
  );
  return (current) => {
    for (const a of links) a.classList.toggle('active', a.dataset.nav === current);
  };
}
