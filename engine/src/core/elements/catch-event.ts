/** Intermediate catch events and receive tasks: wait for a timer, message, signal or condition. */
import { complete } from '../lifecycle.js';
import { evalCondition } from '../feel.js';
import { openWait } from '../waits.js';
import type { ElementBehavior } from './element-behavior.js';

export const catchEvent: ElementBehavior = {
  activate(run, ei, el) {
    if (ei.pretriggered) {
      const vars = ei.pretriggered;
      delete ei.pretriggered;
      complete(run, ei, vars);
      return;
    }
    const ev = el.event;
    if (!ev || ev.kind === 'link') {
      complete(run, ei);
      return;
    }
    if (ev.kind === 'conditional') {
      const r = evalCondition(ev.condition, run.visible(ei.key), run.ctx);
      if (r.ok && r.value) {
        complete(run, ei);
        return;
      }
      if (!r.ok && r.budget) {
        run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
        return;
      }
    }
    const r = openWait(run, ei, el);
    if (!r.ok) run.incident(ei, 'EXPRESSION_FAILED', r, 'activate');
  },
  trigger(run, ei, _el, t) {
    complete(run, ei, t.variables);
  },
};
