/**
 * Scopes: the process itself, embedded sub-processes, transactions and event sub-processes. A
 * scope arms its event sub-processes, starts its none start event, and completes when the last
 * token inside it is gone.
 */
import { fireBoundary } from '../events.js';
import { activate, complete, completeRoot } from '../lifecycle.js';
import { armEventSubprocesses } from '../waits.js';
import type { ElementInstance } from '../state.js';
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
    const startAt = ei.startAt ?? storedStartAt(ei.pretriggered);
    delete ei.startAt;
    delete ei.pretriggered;
    const start = startAt?.elementId ?? el.startEvents?.[0];
    if (!start) {
      completeRoot(run);
      return;
    }
    activate(run, start, ei.key, startAt ? { pretriggered: startAt.variables } : {});
  },
  onScopeEmpty(run) {
    completeRoot(run);
  },
};

/**
 * The start event of a root stored before `startAt` existed (an instance waiting at its start for
 * an incident's retry), which kept it under the keys `$start` and `$vars` of `pretriggered`.
 */
function storedStartAt(pretriggered: Record<string, unknown> | undefined): ElementInstance['startAt'] {
  const elementId = pretriggered?.['$start'];
  if (typeof elementId !== 'string') return undefined;
  return { elementId, variables: (pretriggered?.['$vars'] as Record<string, unknown> | undefined) ?? {} };
}
