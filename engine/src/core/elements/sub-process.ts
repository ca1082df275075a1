/**
 * Scopes: the process itself, embedded sub-processes, transactions and event sub-processes. A
 * scope arms its event sub-processes, starts its none start event, and completes when the last
 * token inside it is gone.
 */
import { fireBoundary } from '../events.js';
import { activate, complete, completeRoot } from '../lifecycle.js';
import { armEventSubprocesses } from '../waits.js';
import type { ElementBehavior } from './element-behavior.js';

export const subProcess: ElementBehavior = {
  activate(run, ei, el) {
    if (el.triggeredByEvent) {
      const start = (el.children ?? []).find((c) => run.def(c).type === 'bpmn:StartEvent');
      activate(run, start!, ei.key, { pretriggered: ei.pretriggered ?? {} });
      delete ei.pretriggered;
      return;
    }
    if (!armEventSubprocesses(run, ei, el)) return;
    const starts = el.startEvents ?? [];
    if (starts.length === 0) {
      complete(run, ei);
      return;
    }
    for (const s of starts) activate(run, s, ei.key);
  },
  onScopeEmpty(run, ei) {
    if (ei.cancelBoundary) {
      fireBoundary(run, ei, run.def(ei.cancelBoundary), {});
      return;
    }
    complete(run, ei);
  },
};

/** The process root: like a sub-process, but started by the start event the command names. */
export const processRoot: ElementBehavior = {
  activate(run, ei, el) {
    if (!armEventSubprocesses(run, ei, el)) return;
    const startId = ei.pretriggered?.['$start'] as string | undefined;
    const vars = ei.pretriggered?.['$vars'] as Record<string, unknown> | undefined;
    delete ei.pretriggered;
    const start = startId ?? el.startEvents?.[0];
    if (!start) {
      completeRoot(run);
      return;
    }
    activate(run, start, ei.key, startId ? { pretriggered: vars ?? {} } : {});
  },
  onScopeEmpty(run) {
    completeRoot(run);
  },
};
