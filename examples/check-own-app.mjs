// Builds and synthesizes examples/own-app as a user would, from a copy OUTSIDE this repository, against the
// token-rotator-cdk that `mvn install` (here invoker:install) put into the local Maven repository, then checks the
// template: the state machine is the ASL of statemachine/, every function deploys the shaded Lambda jar, and the
// app's props reached the construct. A construct that read anything from the repository (../statemachine, a walk up
// from the working directory, lambdas/target) fails here. Run by the examples module: node check-own-app.mjs <root>
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '..');
const example = path.join(root, 'examples', 'own-app');
const stackName = 'PaymentsTokenRotator';
const started = Date.now();

function fail(message) {
  console.error(`check-own-app: FAILED: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) {
    fail(message);
  }
}

// the example pins the CDK versions token-rotator-cdk is built with
const property = (pom, name) => fs.readFileSync(pom, 'utf8').match(new RegExp(`<${name}>([^<]+)</${name}>`))?.[1];
for (const name of ['cdk.version', 'constructs.version']) {
  check(property(path.join(example, 'pom.xml'), name) === property(path.join(root, 'pom.xml'), name),
    `examples/own-app/pom.xml ${name} differs from the root pom's`);
}

// a copy with nothing of the repository above it: no statemachine/, no lambdas/target, no reactor
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'token-rotator-own-app-'));
fs.cpSync(example, copy, {
  recursive: true,
  filter: (source) => !['target', 'cdk.out'].includes(path.basename(source)),
});
for (let dir = copy; dir !== path.dirname(dir); dir = path.dirname(dir)) {
  check(!fs.existsSync(path.join(dir, 'statemachine', 'token-rotator.asl.json')), `${dir} holds a statemachine/`);
}

const nodeMajor = process.versions.node.split('.')[0];
const cdk = path.join(root, 'node_modules', 'aws-cdk', 'bin', 'cdk');
console.log(`check-own-app: npx cdk synth in ${copy} (its cdk.json builds it with Maven first)`);
try {
  execFileSync(process.execPath, [cdk, 'synth', '--quiet'], {
    cwd: copy,
    stdio: 'inherit',
    env: {
      ...process.env,
      CDK_DISABLE_VERSION_CHECK: 'true',
      JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: nodeMajor,
      JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
      JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION: '1',
    },
  });
} catch (e) {
  fail(`cdk synth of the example failed (exit ${e.status}); the copy is kept in ${copy}`);
}

// it was built against the installed artifact, not the reactor's classes
const classpath = fs.readFileSync(path.join(copy, 'target', 'classpath.txt'), 'utf8').split(path.delimiter);
check(classpath.some((entry) => entry.endsWith(path.join('io', 'tokenrotator', 'token-rotator-cdk', '0.1.0',
  'token-rotator-cdk-0.1.0.jar'))), 'the example did not resolve token-rotator-cdk 0.1.0 from the local repository');
check(!classpath.some((entry) => entry.startsWith(root + path.sep)), 'the example\'s classpath reaches into ' + root);

const outdir = path.join(copy, 'cdk.out');
const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8'));
const resources = Object.values(template.Resources);

const machines = resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
check(machines.length === 1, `expected one state machine, found ${machines.length}`);
check(machines[0].Properties.DefinitionString === fs.readFileSync(path.join(root, 'statemachine',
  'token-rotator.asl.json'), 'utf8'), 'the state machine definition is not statemachine/token-rotator.asl.json');

const functions = resources.filter((r) => r.Type === 'AWS::Lambda::Function');
check(functions.length === 7, `expected 7 functions (6 workflow, 1 trigger), found ${functions.length}`);
const keys = [...new Set(functions.map((f) => f.Properties.Code.S3Key))];
check(keys.length === 1 && /^[0-9a-f]{64}\.jar$/.test(keys[0]), `expected one jar asset, found ${keys}`);
const asset = path.join(outdir, `asset.${keys[0]}`);
check(fs.existsSync(asset), `the asset ${asset} is missing`);
check(fs.readFileSync(asset).equals(fs.readFileSync(path.join(root, 'lambdas', 'target', 'token-rotator-lambdas.jar'))),
  'the functions\' asset is not lambdas/target/token-rotator-lambdas.jar');

const findStacks = functions.find((f) => f.Properties.Handler.includes('FindStacksHandler'));
const env = findStacks?.Properties.Environment.Variables ?? {};
check(env.STACK_NAME_PREFIX === 'payments-' && env.MAX_CONCURRENCY === '20',
  `the app's props did not reach Find Stacks: ${JSON.stringify(env)}`);
check(resources.filter((r) => r.Type === 'AWS::Events::Rule').length === 2, 'the trigger rules are missing');

fs.rmSync(copy, { recursive: true, force: true });
console.log(`check-own-app: OK in ${((Date.now() - started) / 1000).toFixed(1)} s: examples/own-app built against`
  + ' the installed token-rotator-cdk 0.1.0 and synthesized outside the repository: the state machine is'
  + ' statemachine/token-rotator.asl.json, its 7 functions deploy lambdas/target/token-rotator-lambdas.jar');
