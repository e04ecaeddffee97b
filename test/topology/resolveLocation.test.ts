import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocationError } from '../../src/topology/errors.js';
import { isLocation, resolveLocation } from '../../src/topology/resolveLocation.js';
import { readTopology } from '../../src/topology/readTopology.js';
import { syntheticTopology } from '../../src/topology/syntheticTopology.js';
import { fixtureRoot } from './fixtureRoot.js';

const big = syntheticTopology('package:2 numa:2 l3:2 core:4 pu:2 numbering:split');
const r = (text: string, t = big): string => resolveLocation(text, t).toList();

test('types, ranges, nesting and keywords', () => {
  assert.equal(r('core:0'), '0,32');
  assert.equal(r('core:0-3'), '0-3,32-35');
  assert.equal(r('package:1.core:2'), '18,50');
  assert.equal(r('numa:1'), '8-15,40-47');
  assert.equal(r('node:1'), '8-15,40-47');
  assert.equal(r('l3:0'), '0-3,32-35');
  assert.equal(r('core:even'), resolveLocation('core:all', big).toArray().filter((c) => (c % 32) % 2 === 0).join(','));
  assert.equal(r('pu:all'), '0-63');
  assert.equal(r('socket:0.numa:1.l3:1.core:3'), '15,47');
  assert.equal(r('machine:0'), '0-63');
});

test('locations combine with plain CPU lists; plain numbers are OS numbers', () => {
  assert.equal(r('core:0,pu:7'), '0,32,35'); // PU 7 in tree order (0 32 1 33 2 34 3 35) is CPU 35
  assert.equal(r('core:1,60-63'), '1,33,60-63');
  assert.equal(r('0-7:2'), '0,2,4,6');
  assert.equal(isLocation('core:0'), true);
  assert.equal(isLocation('0-3,8'), false);
  assert.equal(isLocation('0-31:2'), false);
  assert.equal(isLocation('1,pu:7'), true);
});

test('logical indices count usable objects only', () => {
  const t = readTopology(fixtureRoot('restricted-cpuset')); // usable 3-5: core 1 (CPU 3) and core 2 (CPUs 4,5)
  assert.equal(r('core:0', t), '3');
  assert.equal(r('core:1', t), '4-5');
  assert.equal(r('pu:all', t), '3-5');
  assert.throws(() => resolveLocation('core:2', t), /bad location "core:2": is out of range: there are 2 usable cores \(core:0-1\)/);
});

test('errors name the token and the valid range (never an empty set with success)', () => {
  const cases: [string, RegExp][] = [
    ['core:40', /bad location "core:40": is out of range: there are 32 usable cores \(core:0-31\)/],
    ['core:32', /there are 32 usable cores \(core:0-31\)/],
    ['package:1.core:16', /"core:16" is out of range: there are 16 usable cores in package 1 \(core:0-15\)/],
    ['socket:2', /out of range: there are 2 usable packages \(socket:0-1\)/],
    ['gpu:0', /unknown type "gpu"; types on this machine: machine, package, numa, l3, core, pu/],
    ['l2:0', /names L2 domains, which this machine does not report/],
    ['core:3-1', /range 3-1 ends before it starts/],
    ['core:x', /bad index "x"; use N, N-M, all, even or odd/],
    ['core:0,,1', /empty item/],
    ['', /is empty/],
    ['core0', /is not type:index/],
    ['99999999', /is not a CPU number or range/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => resolveLocation(text, big), (e: unknown) => e instanceof LocationError && e.code === 'ERR_LOCATION' && re.test(e.message), `${text}: ${String(re)}`);
  }
  const one = syntheticTopology('core:1');
  assert.throws(() => resolveLocation('core:odd', one), /selects nothing: there are 1 usable core \(core:0\)/);
});
