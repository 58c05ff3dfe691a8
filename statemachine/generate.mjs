#!/usr/bin/env node
// Writes each workflow's ASL from its template and retry-policies.json (each Task's "Retry" names policies, expanded
// in the order named), a Mermaid flowchart of that ASL and a picture of it (drawn by workflow-svg.mjs):
//   rotation:  token-rotator.asl.template.json -> token-rotator.asl.json, docs/workflow.md, docs/workflow.svg
//   lifecycle: credential-lifecycle.asl.template.json -> credential-lifecycle.asl.json,
//              docs/credential-lifecycle.md, docs/credential-lifecycle.svg
// Usage: node statemachine/generate.mjs (both), or for one:
//        node statemachine/generate.mjs [--workflow rotation|lifecycle] [--template F] [--policies F] [--asl-out F]
//                                       [--diagram-out F] [--svg-out F]
// Every policy must be named by some state of the workflows generated together.
// infra-cdk's GeneratedWorkflowFilesTest fails when the committed files differ from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allStates, condition, transitions } from './workflow-graph.mjs';
import { svg } from './workflow-svg.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** Each workflow: its files, and how its pictures introduce it. */
export const WORKFLOWS = {
  rotation: {
    template: join(here, 'token-rotator.asl.template.json'),
    'asl-out': join(here, 'token-rotator.asl.json'),
    'diagram-out': join(here, '..', 'docs', 'workflow.md'),
    'svg-out': join(here, '..', 'docs', 'workflow.svg'),
    title: 'Token Rotator workflow',
    asl: 'statemachine/token-rotator.asl.json',
  },
  lifecycle: {
    template: join(here, 'credential-lifecycle.asl.template.json'),
    'asl-out': join(here, 'credential-lifecycle.asl.json'),
    'diagram-out': join(here, '..', 'docs', 'credential-lifecycle.md'),
    'svg-out': join(here, '..', 'docs', 'credential-lifecycle.svg'),
    title: 'Token Rotator credential lifecycle',
    asl: 'statemachine/credential-lifecycle.asl.json',
  },
};
const options = { policies: join(here, 'retry-policies.json') };

class InputError extends Error {}

const FILE_OPTIONS = ['template', 'policies', 'asl-out', 'diagram-out', 'svg-out'];

function parseArgs(args) {
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '');
    if (![...FILE_OPTIONS, 'workflow'].includes(name) || !args[i].startsWith('--') || args[i + 1] === undefined) {
      throw new InputError(`unknown option or missing value: ${args[i]} (accepted: --workflow rotation|lifecycle, ${FILE_OPTIONS.map((o) => '--' + o + ' FILE').join(', ')})`);
    }
    options[name] = args[i + 1];
  }
  if (options.workflow !== undefined && !(options.workflow in WORKFLOWS)) {
    throw new InputError(`--workflow ${options.workflow}: expected one of ${Object.keys(WORKFLOWS).join(', ')}`);
  }
  const single = FILE_OPTIONS.some((o) => o !== 'policies' && o in options);
  const chosen = options.workflow ?? (single ? 'rotation' : undefined);
  const names = chosen === undefined ? Object.keys(WORKFLOWS) : [chosen];
  return names.map((n) => ({ ...WORKFLOWS[n], ...Object.fromEntries(FILE_OPTIONS.filter((o) => o in options && o !== 'policies').map((o) => [o, options[o]])) }));
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: ${e.message}`);
  }
}

/**
 * Replaces each "Retry": "@policy" or ["@a", "@b"] by the policies' retriers, in the order named. Adds the names
 * used to {@code used} when given (the caller checks them across workflows); without it, checks this template alone.
 */
export function expand(template, policyFile, usedAcross) {
  const policies = policyFile.Policies ?? {};
  const known = Object.keys(policies).map((p) => '@' + p).join(', ');
  const used = usedAcross ?? new Set();
  const asl = structuredClone(template);
  for (const [name, state] of allStates(asl.States)) {
    if (!('Retry' in state)) {
      continue;
    }
    const refs = typeof state.Retry === 'string' ? [state.Retry] : state.Retry;
    if (!Array.isArray(refs) || refs.length === 0) {
      throw new InputError(`state "${name}": Retry must name one or more policies of retry-policies.json (${known})`);
    }
    state.Retry = refs.flatMap((ref) => {
      const policy = typeof ref === 'string' && ref.startsWith('@') ? policies[ref.slice(1)] : undefined;
      if (!policy) {
        const shown = typeof ref === 'string' ? ref : 'an inline retrier';
        throw new InputError(`state "${name}": Retry names ${shown}; accepted: ${known} (declare retriers once, in retry-policies.json)`);
      }
      used.add(ref.slice(1));
      return structuredClone(policy.Retry);
    });
  }
  if (usedAcross === undefined) {
    checkAllUsed(policies, used);
  }
  return asl;
}

function checkAllUsed(policies, used) {
  const unused = Object.keys(policies).filter((p) => !used.has(p));
  if (unused.length > 0) {
    throw new InputError(`retry-policies.json declares ${unused.map((p) => '@' + p).join(', ')}, which no state names: remove it`);
  }
}

// ---- the picture: Mermaid flowchart TD, one node per state, the Map's child states in a subgraph ----

const SHAPES = {
  Task: ['["', '"]'],
  Choice: ['{"', '"}'],
  Wait: ['[/"', '"/]'],
  Pass: ['("', '")'],
  Succeed: ['(["', '"])'],
  Fail: ['(["', '"])'],
  Parallel: ['[["', '"]]'],
};

function label(text) {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function arrow(t) {
  switch (t.kind) {
    case 'choice':
      return `-->|"${label(condition(t.rule).join(' '))}"|`;
    case 'default':
      return '-->|default|';
    case 'catch':
      return `-.->|"catch ${label(t.errors.join(', '))}"|`;
    default:
      return '-->';
  }
}

export function diagram(asl, meta = WORKFLOWS.rotation) {
  const ids = new Map();
  for (const [name] of allStates(asl.States)) {
    const id = name.replace(/[^A-Za-z0-9]/g, '');
    if ([...ids.values()].includes(id)) {
      throw new InputError(`states "${name}" and another state have the same diagram id ${id}`);
    }
    ids.set(name, id);
  }
  const lines = ['flowchart TD', '  start((Start)) --> ' + ids.get(asl.StartAt)];
  const edges = [];

  function emit(states, indent) {
    for (const [name, state] of Object.entries(states)) {
      const id = ids.get(name);
      if (state.Type === 'Map') {
        lines.push(`${indent}subgraph ${id} ["${label(name)} (Map, one child execution per item)"]`);
        lines.push(`${indent}  direction TB`);
        lines.push(`${indent}  ${id}Start((Start)) --> ${ids.get(state.ItemProcessor.StartAt)}`);
        emit(state.ItemProcessor.States, indent + '  ');
        lines.push(`${indent}end`);
      } else {
        const [open, close] = SHAPES[state.Type] ?? SHAPES.Task;
        lines.push(`${indent}${id}${open}${label(name)}${close}`);
      }
      for (const t of transitions(state)) {
        edges.push(`  ${id} ${arrow(t)} ${ids.get(t.to)}`);
      }
    }
  }

  emit(asl.States, '  ');
  const map = Object.values(asl.States).some((s) => s.Type === 'Map')
    ? ['are Catch routes. The box is the Distributed Map: each planned stack runs these states in its own child execution.']
    : ['are Catch routes.'];
  return [
    `# The ${meta.title}`,
    '',
    `Generated from [\`${meta.asl}\`](../${meta.asl}) by`,
    '`node statemachine/generate.mjs`: do not edit (a test fails when this file is stale). Rectangles are Lambda tasks,',
    'diamonds choices, parallelograms waits, rounded boxes Pass states, stadiums the execution\'s ends; dashed edges',
    ...map,
    'Retries are not drawn: see [`statemachine/retry-policies.json`](../statemachine/retry-policies.json).',
    `[${meta['svg-out'].split('/').pop()}](${meta['svg-out'].split('/').pop()}) draws the same ASL as a picture, with each Choice's rules on its arrows; hover a`,
    'state there to read its Comment.',
    '',
    '```mermaid',
    ...lines,
    ...edges,
    '```',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const workflows = parseArgs(process.argv.slice(2));
    const policies = readJson(options.policies);
    const used = new Set();
    const written = workflows.map((w) => ({ w, asl: expand(readJson(w.template), policies, used) }));
    checkAllUsed(policies.Policies ?? {}, used);
    for (const { w, asl } of written) {
      writeFileSync(w['asl-out'], JSON.stringify(asl, null, 2) + '\n');
      writeFileSync(w['diagram-out'], diagram(asl, w));
      writeFileSync(w['svg-out'], svg(asl, w));
    }
  } catch (e) {
    if (!(e instanceof InputError)) {
      throw e;
    }
    console.error('generate.mjs: ' + e.message);
    process.exit(2);
  }
}
