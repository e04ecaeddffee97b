import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as root from '../../src/index.js';
import * as queue from '../../src/queue/index.js';
import * as piscina from '../../src/adapters/pinPiscina.js';
import * as tinypool from '../../src/adapters/pinTinypool.js';
import type { Placement, Plan, PlacementSlot, PlanSlot, PlacementOptions, PlanOptions, PlacedObject, ObjectRef, ResolvedPlacement } from '../../src/index.js';

// Every runtime export of each entry point before issue 11's regrouping. Files moved and classes were
// regrouped into one errors.ts per layer; the public API may only grow.
const BEFORE: Record<string, [Record<string, unknown>, string[]]> = {
  corepin: [
    root,
    ['AbortError', 'AffinityError', 'AffinityPermissionError', 'CorepinError', 'CpuSet', 'CpuSetSyntaxError', 'CpusUnavailableError', 'ExportNotFoundError', 'InvalidAffinityError', 'InvalidIdError', 'LaunchSettingsError', 'LocationError', 'MAX_CPU', 'NoSuchProcessError', 'OBJECT_TYPES', 'POLICY_NAMES', 'PlacementError', 'Pool', 'PoolClosedError', 'PoolOptionsError', 'PoolTerminatedError', 'QueueFullError', 'SchedPermissionError', 'SyntheticSpecError', 'TaskDataError', 'TaskModuleNotFoundError', 'TaskTimeoutError', 'Topology', 'TopologyUnavailableError', 'UnsupportedPlatformError', 'WorkerCountError', 'WorkerCrashedError', 'WorkerStartupError', 'affinityOf', 'buildTopology', 'capacity', 'currentBackend', 'currentCpu', 'currentThreadId', 'defaultWorkers', 'isLocation', 'isPolicyName', 'isSupported', 'memoryNodesOf', 'memoryPlan', 'pin', 'plan', 'readCgroupCpuQuota', 'readTopology', 'resolveLocation', 'selectBackend', 'spawnPinned', 'spawnPlaced', 'syntheticTopology', 'threadEnv', 'threadsOf', 'toCpuSet', 'topologyToJson', 'usableCpus', 'writeSysfs'],
  ],
  'corepin/queue': [queue, ['JobExportNotFoundError', 'JobFailedError', 'JobModuleMismatchError', 'QueueDependencyError', 'QueueOptionsError', 'QueueWorker', 'RedisUnreachableError', 'defaultRedisUrl', 'fleetStatus', 'submit']],
  'corepin/piscina': [piscina, ['PinnedPoolOptionsError', 'pinPiscina']],
  'corepin/tinypool': [tinypool, ['PinnedPoolOptionsError', 'pinTinypool']],
};

test('every name each entry point exported before is still exported, under the same name', () => {
  for (const [entry, [mod, names]] of Object.entries(BEFORE)) {
    const missing = names.filter((n) => mod[n] === undefined);
    assert.deepEqual(missing, [], `${entry} lost exports`);
  }
});

test('error classes keep their name and code, and are still CorepinErrors', () => {
  assert.equal(new root.EmptyCpuSetError('x').name, 'EmptyCpuSetError');
  assert.ok(new root.EmptyCpuSetError('x') instanceof root.CorepinError);
  assert.equal(new root.LocationError('core:9', 'core:9', 'no such core').code, 'ERR_LOCATION');
  assert.equal(new root.WorkerCountError('COREPIN_WORKERS', 'x').code, 'ERR_WORKER_COUNT');
  assert.equal(new root.PlacementError('x').code, 'ERR_PLACEMENT');
  assert.equal(new root.BadBackendError('fast').code, 'ERR_BAD_BACKEND');
  assert.equal(new root.NativeUnavailableError('gone').code, 'ERR_NATIVE_UNAVAILABLE');
  assert.equal(new piscina.NoFreeSlotError(1, 2, 3).code, 'ERR_NO_FREE_SLOT');
  assert.equal(piscina.PinnedPoolOptionsError, tinypool.PinnedPoolOptionsError, 'one class for both adapters');
});

// Issue 11's renames keep the old type names as @deprecated aliases of the new ones: this does not
// compile if an old name disappears or stops being the same type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const renamed: [Same<Placement, Plan>, Same<PlacementSlot, PlanSlot>, Same<PlacementOptions, PlanOptions>, Same<PlacedObject, ObjectRef>, Same<ResolvedPlacement['placement'], ResolvedPlacement['plan']>] = [true, true, true, true, true];

test('renamed placement types: the old names are the same types as the new (checked by tsc), and resolvePlacement fills both fields', () => {
  assert.deepEqual(renamed, [true, true, true, true, true]);
  const r = root.resolvePlacement('cores', root.syntheticTopology('core:2 pu:2'), 2);
  assert.ok(r.plan !== null && r.placement === r.plan);
});
