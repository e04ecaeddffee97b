/**
 * corepin: Linux CPU affinity for Node.js.
 * @packageDocumentation
 */
export { CpuSet, MAX_CPU, type CpuSetFormat } from './cpuset/CpuSet.js';
export {
  pin,
  affinityOf,
  threadsOf,
  threadOf,
  usableCpus,
  pinnableCpus,
  pidMax,
  clockTicks,
  spawnPinned,
  isSupported,
  currentThreadId,
  currentCpu,
  toCpuSet,
  type Target,
  type CpusInput,
  type ThreadInfo,
  type PinnableCpus,
} from './affinity.js';
export {
  CorepinError,
  ERROR_CODES,
  type ErrorCode,
  CpuSetSyntaxError,
  CpusUnavailableError,
  AffinityError,
  NoSuchProcessError,
  AffinityPermissionError,
  InvalidAffinityError,
  InvalidIdError,
  UnsupportedPlatformError,
  BadBackendError,
  NativeUnavailableError,
  EmptyCpuSetError,
  type UnavailableReason,
} from './errors.js';
export { currentBackend, selectBackend } from './os/currentBackend.js';
export type { AffinityBackend } from './os/AffinityBackend.js';
export { Topology, OBJECT_TYPES, type ObjectType, type TopoObject, type Pu, type NumaNode, type CpuKind } from './topology/Topology.js';
export { readTopology } from './topology/readTopology.js';
export { syntheticTopology } from './topology/syntheticTopology.js';
export { readUsableCpus } from './topology/readUsableCpus.js';
export { writeSysfs, type WriteSysfsOptions } from './topology/writeSysfs.js';
export { buildTopology, type TopologyFacts } from './topology/buildTopology.js';
export { topologyToJson } from './topology/topologyJson.js';
export { resolveLocation, isLocation } from './topology/resolveLocation.js';
export { LocationError, SyntheticSpecError, TopologyUnavailableError, WorkerCountError } from './topology/errors.js';
export { capacity, defaultWorkers, type Capacity, type CapacityOptions } from './topology/capacity.js';
export { readCgroupCpuQuota, type CpuQuota } from './os/cgroupCpuQuota.js';
export {
  plan,
  isPolicyName,
  POLICY_NAMES,
  type PolicyName,
  type PlanOptions,
  type Plan,
  type PlanSlot,
  type ObjectRef,
  type Placement,
  type PlacementSlot,
  type PlacementOptions,
  type PlacedObject,
} from './placement/plan.js';
export { PlacementError } from './placement/errors.js';
export { resolvePlacement, type ResolvedPlacement } from './placement/resolve.js';
export type { PlacementRequest, PolicyRequest } from './placement/PlacementRequest.js';
export { Pool } from './pool/Pool.js';
export type { PoolOptions, PoolPlacement, CallOptions, ApplyOptions, MapOptions, Binding, PoolEvents, WorkerExitReason } from './pool/PoolOptions.js';
export { reportProgress, ProgressValueError, type ProgressValue } from './pool/worker/reportProgress.js';
export { move } from './pool/worker/move.js';
export { TransferListError } from './pool/TransferListError.js';
export type { SlotMove } from './pool/replanSlots.js';
export {
  PoolClosedError,
  PoolTerminatedError,
  WorkerCrashedError,
  TaskTimeoutError,
  AbortError,
  QueueFullError,
  WorkerStartupError,
  TaskModuleNotFoundError,
  ExportNotFoundError,
  PoolOptionsError,
  TaskDataError,
} from './pool/errors.js';
export { LaunchSettingsError, SchedPermissionError } from './launch/errors.js';
export type { MemoryMode, SchedClass, BindingMode } from './launch/LaunchSettings.js';
export { memoryPlan, memoryNodesOf, type MemoryPlan } from './launch/memoryPlan.js';
export { threadEnv } from './launch/threadEnv.js';
export { spawnPlaced } from './launch/spawnPlaced.js';
