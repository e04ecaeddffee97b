// The merge walks behind CpuSet's union, intersect and difference: both inputs ascending and unique,
// and so is the result. (isSubsetOf stays in CpuSet: pin() asks it on every call.)

/** CPUs in either of `a` and `b`. */
export function unionCpus(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) i++;
    if (y <= x) j++;
    out[n++] = x <= y ? x : y;
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.slice(0, n);
}

/** CPUs in both `a` and `b`. */
export function intersectCpus(a: Uint32Array, b: Uint32Array): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) out.push(x);
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out;
}

/** CPUs in `a` and not in `b`. */
export function differenceCpus(a: Uint32Array, b: Uint32Array): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}
