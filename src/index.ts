/**
 * corepin: Linux CPU affinity for Node.js.
 * @packageDocumentation
 */
export { CpuSet, MAX_CPU, type CpuSetFormat } from './cpuset/CpuSet.js';
export {
  pin,
  affinityOf,
  threadsOf,
  usableCpus,
  spawnPinned,
  isSupported,
  currentThreadId,
  currentCpu,
  toCpuSet,
  type Target,
  type CpusInput,
  type ThreadInfo,
} from './affinity.js';
export {
  CorepinError,
  CpuSetSyntaxError,
  CpusUnavailableError,
  AffinityError,
  NoSuchProcessError,
  AffinityPermissionError,
  InvalidAffinityError,
  UnsupportedPlatformError,
  type UnavailableReason,
} from './errors.js';
export { currentBackend, selectBackend } from './os/currentBackend.js';
export type { AffinityBackend } from './os/AffinityBackend.js';
