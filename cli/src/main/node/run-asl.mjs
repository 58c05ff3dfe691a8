// Runs the real statemachine/ ASL with aws-local-stepfunctions. Every Task must be a Lambda ARN whose function
// the local Lambda server (AWS_ENDPOINT_URL_LAMBDA) hosts: the Java handlers themselves. Writes one JSON object a
// line on stdout: {"event": "planned" | "stackDone" | "finished" | "refused" | "broken", ...}.
//
// Usage: node run-asl.mjs --definition FILE --input FILE --name EXECUTION_NAME --routes A,B,C --scale N
//        [--state-machine-arn ARN]   (the execution's $$.Execution.Id is <ARN as an execution ARN>:<name>)
//        [--clock SIM_MS,WALL_MS]    (tell time by the simulator's clock; see below)
//
// --scale N runs time N times faster: every timer the interpreter sets (Wait states, Retry intervals) is divided
// by N, as the simulator's clock and the SDK's retry delays are. Ratios between waits, retries and update durations
// stay as they are in AWS, so the workflow behaves the same, only sooner. Task timeouts are the exception: they
// bound a Lambda function's run, and a local handler's own computing runs at real speed (only what it waits for on
// the simulated AWS side is scaled), so TimeoutSeconds stays in real seconds. Scaled, a 60-second timeout would be
// one real second at x60 and fire on a busy two-core machine where AWS would never time out.
// Lost answers and timeouts are exercised on purpose instead (LocalLambdaServer's injected Lambda.Unknown faults).
import fs from 'node:fs';

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

// Exit only once stdout has drained: a large report written just before process.exit() would be cut off.
function emitAndExit(event, code) {
  process.stdout.write(JSON.stringify(event) + '\n', () => process.exit(code));
}

function fail(kind, message) {
  emitAndExit({ event: kind, message }, kind === 'refused' ? 3 : 4);
}

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
for (const required of ['definition', 'input', 'name', 'routes', 'scale']) {
  if (args[required] === undefined) fail('refused', `missing --${required}`);
}
const scale = Number(args.scale);
if (!(scale >= 1)) fail('refused', `--scale must be a number >= 1, got ${args.scale}`);

// aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22+). On older Node, supply it; the self-test
// below proves the runtime can run a Task either way.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...rest) => realSetTimeout(fn, (Number(ms) || 0) / scale, ...rest);

// --clock SIM_MS,WALL_MS: the simulator's clock read SIM_MS (epoch milliseconds) when the wall clock read WALL_MS.
// The interpreter then tells time by the simulated clock (a Wait with a Timestamp(Path) waits until a simulated
// instant, and $$ times are simulated), running `scale` times faster than the wall clock, like the simulator's.
if (args.clock !== undefined) {
  const [simAt, wallAt] = String(args.clock).split(',').map(Number);
  if (!Number.isFinite(simAt) || !Number.isFinite(wallAt)) fail('refused', `--clock must be SIM_MS,WALL_MS, got ${args.clock}`);
  const RealDate = Date;
  const simNow = () => simAt + (RealDate.now() - wallAt) * scale;
  class SimulatedDate extends RealDate {
    constructor(...values) {
      if (values.length === 0) super(simNow());
      else super(...values);
    }
    static now() {
      return Math.floor(simNow());
    }
  }
  globalThis.Date = SimulatedDate;
}

const { StateMachine } = await import('aws-local-stepfunctions');

// 1. Refuse to start if any Task has no local route: an unrouted Task would call real AWS.
const definition = JSON.parse(fs.readFileSync(args.definition, 'utf8'));
const routes = new Set(args.routes.split(',').filter(Boolean));
const unrouted = [];
(function walk(states) {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') {
      const m = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)$/.exec(state.Resource ?? '');
      if (!m || !routes.has(m[1])) unrouted.push(`${name} (${state.Resource})`);
    }
    if (state.ItemProcessor) walk(state.ItemProcessor.States);
    if (state.Iterator) walk(state.Iterator.States);
    if (state.Branches) state.Branches.forEach((b) => walk(b.States));
  }
})(definition.States);
if (unrouted.length > 0) fail('refused', `Tasks without a local route: ${unrouted.join(', ')}`);

// Task timeouts in real seconds (see --scale above): the global setTimeout divides every timer by the scale.
(function unscaleTaskTimeouts(states) {
  for (const state of Object.values(states)) {
    if (state.Type === 'Task' && typeof state.TimeoutSeconds === 'number') state.TimeoutSeconds = Math.ceil(state.TimeoutSeconds * scale);
    if (state.ItemProcessor) unscaleTaskTimeouts(state.ItemProcessor.States);
    if (state.Iterator) unscaleTaskTimeouts(state.Iterator.States);
    if (state.Branches) state.Branches.forEach((b) => unscaleTaskTimeouts(b.States));
  }
})(definition.States);

// 2. Self-test: a Task, a Catch-all and a Map must work, or the run would "succeed" on swallowed TypeErrors.
try {
  const probe = new StateMachine({
    StartAt: 'Probe',
    States: {
      Probe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Probe',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }], Next: 'Each' },
      Caught: { Type: 'Pass', End: true },
      Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } }, End: true },
    },
  });
  const out = await probe.run({ items: [1, 2] }, { overrides: { taskResourceLocalHandlers: { Probe: async (i) => ({ ...i, ok: true }) } } }).result;
  if (out?.error) throw new Error(`a Task failed and a Catch swallowed it: ${out.error.Error}: ${out.error.Cause}`);
  if (JSON.stringify(out) !== '[1,2]') throw new Error(`unexpected probe result ${JSON.stringify(out)}`);
} catch (e) {
  fail('broken', `the Node runtime (${process.version}) cannot run aws-local-stepfunctions: ${e.name}: ${e.message}`);
}

// 3. The real run.
const JS_ERRORS = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError']);
const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
const execution = machine.run(JSON.parse(fs.readFileSync(args.input, 'utf8')), {
  context: { Execution: { Id: `${(args['state-machine-arn'] ?? 'arn:aws:states:us-east-1:123456789012:stateMachine:local').replace(':stateMachine:', ':execution:')}:${args.name}`, Name: args.name } },
});
let transitions = 0;
const retries = {};
const watch = (async () => {
  for await (const e of execution.eventLogs) {
    if (e.type === 'StateEntered') transitions++;
    if (e.type === 'StateExited' && e.state.name === 'Find Stacks') {
      const o = e.state.output;
      emit({ event: 'planned', toRotate: o.toRotateCount, skipped: o.skippedCount, runId: o.runId });
    }
    if (e.type === 'StateExited' && e.state.name === 'Record Result') emit({ event: 'stackDone', outcome: e.state.output });
    if (e.type === 'StateRetried') {
      const key = (e.retry?.retrier?.ErrorEquals ?? ['?'])[0];
      retries[key] = (retries[key] ?? 0) + 1;
    }
    if (e.type === 'StateFailed' && JS_ERRORS.has(e.error?.name)) {
      fail('broken', `the interpreter raised ${e.error.name} in state ${e.state?.name}: ${e.error.message ?? e.error.cause}`);
      return;
    }
  }
})();
try {
  const output = await execution.result;
  await watch.catch(() => {});
  emitAndExit({ event: 'finished', status: 'SUCCEEDED', output, transitions, retries }, 0);
} catch (e) {
  await watch.catch(() => {});
  const cause = e.cause ?? e;
  emitAndExit({ event: 'finished', status: 'FAILED', error: cause.name, cause: cause.message, transitions, retries }, 0);
}
