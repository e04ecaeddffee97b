import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolOfFlags } from '../../src/cli/SlotPlan.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { resolvePlacement } from '../../src/placement/resolve.js';

// Intent flows one way: `map`/`worker` hand the pool the request their flags make — the policy by
// name, `--cpus` as `within` — never the CPU sets they would resolve to (a list the pool could only
// re-apply as a list after a cpuset change).
test("map's and worker's flags reach Pool as one request: the policy by name, --cpus as within, -j as workers, the topology read once", () => {
  const machine = syntheticTopology('numa:2 core:4 pu:2 isolated:8-15');
  const { options, request } = poolOfFlags('task.mjs', { policy: 'cores', cpus: 'numa:1', jobs: 3, kind: 'thread', isolated: true }, machine);
  assert.deepEqual(options.placement, { policy: 'cores', within: 'numa:1', isolated: true });
  assert.strictEqual(options.placement, request, 'the request itself, kept as the pool is given it');
  assert.ok(!Array.isArray(options.placement), 'not a list of CPU sets');
  assert.equal(options.workers, 3);
  assert.strictEqual(options.topology, machine, 'the pool resolves against the topology the CLI read');
  assert.equal(options.kind, 'thread');
  assert.match(String(options.module), /\/task\.mjs$/, 'an absolute path');
  // What the pool will resolve it to: one isolated CPU of node 1 per slot, in the order of its cores.
  assert.deepEqual(resolvePlacement(options.placement, machine, 3).slots.map((s) => s?.toList()), ['8', '9', '10']);
});

test("without flags the request is 'spread' over every usable CPU, and the pool chooses the worker count", () => {
  const { options } = poolOfFlags('file:///tmp/t.mjs', { kind: 'process' }, syntheticTopology('core:2 pu:2'));
  assert.deepEqual(options.placement, { policy: 'spread' });
  assert.equal(options.workers, undefined);
  assert.equal(options.module, 'file:///tmp/t.mjs', 'a file: URL is kept as given');
});
