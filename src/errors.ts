// corepin's error root, CorepinError and ErrorCode, with the errors of the layers below the library's
// operations (cpuset, os, affinity). Each layer's classes live in its own errors.ts; this file only
// gathers these for `import … from './errors.js'` and the package root.
export { CorepinError, ERROR_CODES, type ErrorCode } from './CorepinError.js';
export { CpuSetSyntaxError } from './cpuset/errors.js';
export { BadBackendError, InvalidIdError, NativeUnavailableError, UnsupportedPlatformError, type UnavailableReason } from './os/errors.js';
export {
  AffinityError,
  AffinityPermissionError,
  CpusUnavailableError,
  EmptyCpuSetError,
  InvalidAffinityError,
  NoSuchProcessError,
} from './affinity/errors.js';
