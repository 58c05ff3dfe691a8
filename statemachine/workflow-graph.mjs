// The ASL as a graph, for the pictures generate.mjs draws (docs/workflow.md, docs/workflow.svg): its states, the
// Map's child states included, and each state's transitions, with a Choice rule written short.

/** Every state, the Map's child states included, with its name. */
export function* allStates(states) {
  for (const [name, state] of Object.entries(states)) {
    yield [name, state];
    if (state.ItemProcessor) {
      yield* allStates(state.ItemProcessor.States);
    }
  }
}

/**
 * A state's transitions in the order the ASL lists them: {kind: 'choice', to, rule} per Choice rule,
 * {kind: 'default', to}, {kind: 'next', to}, {kind: 'catch', to, errors} per Catch (our error types by their
 * simple name). A Map's entry into its child states and an End are not transitions here.
 */
export function transitions(state) {
  return [
    ...(state.Choices ?? []).map((rule) => ({ kind: 'choice', to: rule.Next, rule })),
    ...(state.Default ? [{ kind: 'default', to: state.Default }] : []),
    ...(state.Next ? [{ kind: 'next', to: state.Next }] : []),
    ...(state.Catch ?? []).map((c) => ({
      kind: 'catch',
      to: c.Next,
      errors: c.ErrorEquals.map((e) => e.replace(/^io\.tokenrotator\.errors\./, '')),
    })),
  ];
}

const OPERATORS = {
  StringEquals: '==', StringEqualsPath: '==', BooleanEquals: '==', NumericEquals: '==',
  NumericLessThan: '<', NumericLessThanPath: '<', NumericGreaterThan: '>', NumericGreaterThanPath: '>',
  NumericLessThanEquals: '<=', NumericGreaterThanEquals: '>=',
};

/** A path as the full picture shows it: "phase.polls". */
export const fullPath = (path) => path.replace(/^\$\./, '');

/**
 * A Choice rule as one line per And/Or term: ["phase.status.classification absent", "and phase.polls <
 * settings.maxPolls"]. An "X present" term next to a comparison of X says nothing more and is left out. `name`
 * writes a path (fullPath, or a shorter form).
 */
export function condition(rule, name = fullPath) {
  if (rule.And || rule.Or) {
    const terms = rule.And ?? rule.Or;
    const compared = new Set(terms.filter((t) => t.Variable && !('IsPresent' in t)).map((t) => t.Variable));
    const kept = terms.filter((t) => !(t.IsPresent === true && compared.has(t.Variable)));
    const join = rule.And ? 'and ' : 'or ';
    return kept.map((t, i) => {
      const text = condition(t, name).join(' ');
      return (i === 0 ? '' : join) + (rule.Or && (t.And || t.Or) ? '(' + text + ')' : text);
    });
  }
  if (rule.Not) {
    return rule.Not.IsPresent === true ? condition({ ...rule.Not, IsPresent: false }, name)
      : ['not (' + condition(rule.Not, name).join(' ') + ')'];
  }
  const variable = name(rule.Variable);
  const op = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next');
  if (op === 'IsPresent') {
    return [variable + (rule[op] ? ' present' : ' absent')];
  }
  const value = op.endsWith('Path') ? name(rule[op]) : String(rule[op]);
  return [`${variable} ${OPERATORS[op] ?? op} ${value}`];
}
