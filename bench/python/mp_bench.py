"""Python's multiprocessing.Pool side of corepin's benchmark suite (bench/peers/pythonPeer.ts runs it).

Usage: python3 mp_bench.py '<json spec>'  ->  prints one JSON object: {"<workload>": [ops, seconds], ...}
The spec names a phase and its sizes; every timing is taken here, with time.perf_counter, around the
same operations the Node side times, so interpreter start-up is never counted.
"""
import json
import multiprocessing as mp
import os
import sys
import threading
import time


def noop(x):
    return x


_slot = None


def size(p):
    return len(p)


def _pin_next(counter, cpus):
    # Pinned start-up: each worker takes the next CPU, with the raw syscall (not the taskset recipe).
    with counter.get_lock():
        i = counter.value
        counter.value += 1
    os.sched_setaffinity(0, {cpus[i % len(cpus)]})


def throughput(spec):
    n = spec["sizes"]
    out = {}
    with mp.Pool(spec["workers"]) as pool:
        for r in [pool.apply_async(noop, (i,)) for i in range(spec["warmup"])]:
            r.get()

        t = time.perf_counter()
        results = [pool.apply_async(noop, (i,)) for i in range(n["apply-burst"])]
        for r in results:
            r.get()
        out["apply-burst"] = [n["apply-burst"], time.perf_counter() - t]

        # Closed loop: a new task is submitted only when one of the 8 in flight has finished.
        inflight = threading.BoundedSemaphore(8)
        release = lambda _: inflight.release()
        t = time.perf_counter()
        for i in range(n["apply-closed"]):
            inflight.acquire()
            pool.apply_async(noop, (i,), callback=release)
        for _ in range(8):
            inflight.acquire()
        out["apply-closed"] = [n["apply-closed"], time.perf_counter() - t]
        for _ in range(8):
            inflight.release()

        items = list(range(n["map-auto"]))
        t = time.perf_counter()
        pool.map(noop, items)
        out["map-auto"] = [n["map-auto"], time.perf_counter() - t]

        for name, chunksize in (("imap-1", 1), ("imap-1000", 1000)):
            t = time.perf_counter()
            for _ in pool.imap(noop, range(n[name]), chunksize):
                pass
            out[name] = [n[name], time.perf_counter() - t]
    return out


def startup(spec):
    out = {}
    for name in spec["variants"]:
        if name == "pinned":
            cpus = sorted(os.sched_getaffinity(0))
            t = time.perf_counter()
            pool = mp.Pool(spec["workers"], initializer=_pin_next, initargs=(mp.Value("i", 0), cpus))
        else:
            t = time.perf_counter()
            pool = mp.Pool(spec["workers"])
        pool.apply(noop, (0,))
        out[name] = [1, time.perf_counter() - t]
        pool.terminate()
        pool.join()
    return out


def recycle(spec):
    n = spec["tasks"]
    with mp.Pool(spec["workers"], maxtasksperchild=1) as pool:
        for r in [pool.apply_async(noop, (i,)) for i in range(spec["workers"])]:
            r.get()
        t = time.perf_counter()
        for r in [pool.apply_async(noop, (i,)) for i in range(n)]:
            r.get()
        return {"recycle": [n, time.perf_counter() - t]}


def payload(spec):
    # Bytes of each size, one way (the answer is a number), as a burst of apply_async: pickled bytes.
    out = {}
    with mp.Pool(spec["workers"]) as pool:
        for r in [pool.apply_async(noop, (i,)) for i in range(50)]:
            r.get()
        for nbytes, n in zip(spec["sizes"], spec["tasks"]):
            data = b"x" * nbytes
            t = time.perf_counter()
            for r in [pool.apply_async(size, (data,)) for _ in range(n)]:
                r.get()
            out[str(nbytes)] = [n, time.perf_counter() - t]
    return out


def fork_floor(spec):
    # Two bare forks at a time, each child exiting at once: what Python's recycling and fork start-up
    # stand on (the structural advantage over Node, which must start a fresh process).
    pairs = spec["pairs"]
    each = []
    t0 = time.perf_counter()
    for _ in range(pairs):
        t = time.perf_counter()
        kids = []
        for _ in range(2):
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            kids.append(pid)
        for pid in kids:
            os.waitpid(pid, 0)
        each.append(time.perf_counter() - t)
    total = time.perf_counter() - t0
    each.sort()
    return {"forks": [2 * pairs, total], "pair": [1, each[len(each) // 2]]}


def info(_spec):
    return {"version": sys.version.split()[0], "start_method": mp.get_start_method()}


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    phase = {"throughput": throughput, "startup": startup, "recycle": recycle, "forkfloor": fork_floor, "payload": payload, "info": info}[spec["phase"]]
    print(json.dumps(phase(spec)))
