/** Event-based gateway: waits on the events behind it; the first to fire wins, the others close. */
import { failureType } from '../feel.js';
import { leave } from '../lifecycle.js';
import { disarm, openWait } from '../waits.js';
import type { ElementBehavior } from './element-behavior.js';

export const eventBasedGateway: ElementBehavior = {
  activate(run, ei, el) {
    for (const fid of el.outgoing) {
      const target = run.def(run.model.flows[fid]!.target);
      const r = openWait(run, ei, target);
      if (!r.ok) {
        disarm(run, ei);
        run.incident(ei, failureType(r), r.message, 'activate');
        return;
      }
    }
  },
  trigger(run, ei, el, t) {
    const flow = el.outgoing.map((f) => run.model.flows[f]!).find((f) => f.target === t.target);
    if (!flow) return;
    leave(run, ei, { flows: [flow], pretriggered: t.variables });
  },
};
