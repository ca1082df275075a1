/**
 * Elements that pass the token straight on: tasks without work, the gateways whose logic is in
 * flow selection and joins, start and boundary events (which complete when they fire).
 */
import { complete } from '../lifecycle.js';
import type { ElementBehavior } from './element-behavior.js';

/** Task, manual task, exclusive / inclusive / parallel / complex gateway, none intermediate throw. */
export const passThrough: ElementBehavior = {
  activate(run, ei) {
    complete(run, ei);
  },
};

/** Start and boundary events: variables of their trigger land like a job's result. */
export const firedEvent: ElementBehavior = {
  activate(run, ei) {
    const vars = ei.pretriggered;
    delete ei.pretriggered;
    complete(run, ei, vars && Object.keys(vars).length ? vars : undefined);
  },
};
