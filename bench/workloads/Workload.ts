/** What one workload measures and how its number reads. */
export interface Workload {
  readonly id: WorkloadId;
  /** Column header in tables. */
  readonly title: string;
  readonly unit: 'tasks/s' | 'ms';
  /** Throughputs are better higher, times lower; ratios to corepin are oriented so >1 means corepin leads. */
  readonly higherIsBetter: boolean;
}

/** Every workload id the suite reports (the cache workloads and pin costs have their own tables). */
export type WorkloadId =
  | 'apply-burst'
  | 'apply-burst-warm'
  | 'apply-closed'
  | 'map-auto'
  | 'imap-1'
  | 'imap-1000'
  | 'startup-unpinned'
  | 'startup-pinned'
  | 'recycle'
  | 'cache-pinned'
  | 'cache-unpinned'
  | 'cache-p99-pinned'
  | 'cache-p99-unpinned'
  | 'cache-p50-pinned'
  | 'cache-p50-unpinned'
  | 'cache-iqr-pinned'
  | 'cache-iqr-unpinned';

/** The workloads, in table order. bench/README.md says how each is measured. */
export const WORKLOADS: readonly Workload[] = [
  { id: 'apply-burst', title: 'apply burst', unit: 'tasks/s', higherIsBetter: true },
  { id: 'apply-burst-warm', title: 'apply burst, warm pool', unit: 'tasks/s', higherIsBetter: true },
  { id: 'apply-closed', title: 'apply 8 in flight', unit: 'tasks/s', higherIsBetter: true },
  { id: 'map-auto', title: 'map auto chunk', unit: 'tasks/s', higherIsBetter: true },
  { id: 'imap-1', title: 'imap chunk 1', unit: 'tasks/s', higherIsBetter: true },
  { id: 'imap-1000', title: 'imap chunk 1000', unit: 'tasks/s', higherIsBetter: true },
  { id: 'startup-unpinned', title: 'start unpinned', unit: 'ms', higherIsBetter: false },
  { id: 'startup-pinned', title: 'start pinned', unit: 'ms', higherIsBetter: false },
  { id: 'recycle', title: 'recycle 1/child', unit: 'tasks/s', higherIsBetter: true },
  { id: 'cache-pinned', title: 'cache walk pinned', unit: 'tasks/s', higherIsBetter: true },
  { id: 'cache-unpinned', title: 'cache walk unpinned', unit: 'tasks/s', higherIsBetter: true },
  { id: 'cache-p99-pinned', title: 'cache walk p99 pinned', unit: 'ms', higherIsBetter: false },
  { id: 'cache-p99-unpinned', title: 'cache walk p99 unpinned', unit: 'ms', higherIsBetter: false },
  { id: 'cache-p50-pinned', title: 'cache walk p50 pinned', unit: 'ms', higherIsBetter: false },
  { id: 'cache-p50-unpinned', title: 'cache walk p50 unpinned', unit: 'ms', higherIsBetter: false },
  { id: 'cache-iqr-pinned', title: 'cache walk latency IQR pinned', unit: 'ms', higherIsBetter: false },
  { id: 'cache-iqr-unpinned', title: 'cache walk latency IQR unpinned', unit: 'ms', higherIsBetter: false },
];

/** The workload with this id. */
export function workload(id: WorkloadId): Workload {
  return WORKLOADS.find((w) => w.id === id)!;
}
