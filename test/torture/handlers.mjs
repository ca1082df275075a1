// In-process handlers of the crash torture (`baton serve --handlers test/torture/handlers.mjs`).
// The side effect goes to the sink at $TORTURE_SINK, keyed by job key; a job cut off by a kill runs
// again after the restart (at-least-once), which the sink counts as a second attempt.
import { openSink } from './sink.mjs';

let sink;
const theSink = () => (sink ??= openSink(process.env.TORTURE_SINK ?? 'torture-sink.db'));

export default {
  'torture.inproc': async (job) => {
    theSink().record(job, 'in-process');
    return { inprocDone: true };
  },
};
