// `corepin/worker`: what task code imports (small: every task module that uses it loads it in every worker).
export { reportProgress, ProgressValueError, type ProgressValue } from './reportProgress.js';
export { move } from './move.js';
export { TransferListError } from '../TransferListError.js';
