// corepin's N-API addon: the few system calls Node cannot make.
// Affinity masks are sized dynamically (CPU_ALLOC), so machines with more than 1024 CPUs work.
#include <napi.h>
#include <sched.h>
#include <errno.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <atomic>
#include <cmath>
#include <string>
#include "args.h"

void InitSched(Napi::Env env, Napi::Object exports);  // native/sched.cc

namespace {

using corepin::Bytes;
using corepin::BytesArg;
using corepin::IntArg;
using corepin::TidArg;

// Mask size in CPUs that the kernel accepts for reads; probed once, doubled on EINVAL like
// glibc's documented CPU_ALLOC loop.
std::atomic<int> g_cpus{1024};

const char* ErrnoName(int e) {
  switch (e) {
    case EINVAL: return "EINVAL";
    case ESRCH: return "ESRCH";
    case EPERM: return "EPERM";
    case EFAULT: return "EFAULT";
    default: return "EUNKNOWN";
  }
}

Napi::Value ThrowErrno(Napi::Env env, int e, const char* what) {
  Napi::Error err = Napi::Error::New(env, std::string(what) + ": " + strerror(e));
  err.Set("code", Napi::String::New(env, ErrnoName(e)));
  err.Set("errno", Napi::Number::New(env, e));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

// Bytes of `b` up to its last non-zero one: masks of different lengths name the same CPUs when these match.
size_t Significant(const uint8_t* b, size_t len) {
  while (len > 0 && b[len - 1] == 0) len--;
  return len;
}

// sched_setaffinity(tid, mask) -> 0 or errno. The kernel reads whole longs, as cpu_set_t is, so the
// mask is copied into a zero-padded buffer of whole longs (on the stack up to 1024 CPUs).
int SetMask(pid_t tid, Bytes mask) {
  size_t size = (mask.len + sizeof(unsigned long) - 1) / sizeof(unsigned long) * sizeof(unsigned long);
  if (size == 0) size = sizeof(unsigned long);
  unsigned long stack[16];
  unsigned long* buf = size <= sizeof(stack) ? stack : new unsigned long[size / sizeof(unsigned long)];
  memset(buf, 0, size);
  if (mask.len > 0) memcpy(buf, mask.data, mask.len);
  int rc = sched_setaffinity(tid, size, reinterpret_cast<cpu_set_t*>(buf));
  int e = rc == 0 ? 0 : errno;
  if (buf != stack) delete[] buf;
  return e;
}

// sched_getaffinity(tid) into the whole longs of `out` (no allocation) -> the number of significant
// bytes written (>= 0), or -needed (< -1, never -0) when `out` is smaller than the kernel's mask.
// Other errors (ESRCH, EPERM …) are thrown, and `thrown` says so.
double ReadMask(Napi::Env env, pid_t tid, Bytes out, bool* thrown) {
  size_t cap = out.len / sizeof(unsigned long) * sizeof(unsigned long);
  if (cap == 0 || sched_getaffinity(tid, cap, reinterpret_cast<cpu_set_t*>(out.data)) != 0) {
    int e = cap == 0 ? EINVAL : errno;
    if (e == EINVAL) return -static_cast<double>(cap < sizeof(unsigned long) ? 2 * sizeof(unsigned long) : cap * 2);
    *thrown = true;
    ThrowErrno(env, e, "sched_getaffinity");
    return 0;
  }
  return static_cast<double>(Significant(out.data, cap));
}

// getAffinity(tid) -> Buffer of the mask bytes (little-endian bit order, as cpu_set_t).
Napi::Value GetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t tid;
  if (!TidArg(info, 0, &tid)) return env.Undefined();
  for (;;) {
    int n = g_cpus.load(std::memory_order_relaxed);
    size_t size = CPU_ALLOC_SIZE(n);
    cpu_set_t* set = CPU_ALLOC(n);
    if (set == nullptr) return ThrowErrno(env, ENOMEM, "sched_getaffinity");
    CPU_ZERO_S(size, set);
    if (sched_getaffinity(tid, size, set) == 0) {
      Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<uint8_t*>(set), size);
      CPU_FREE(set);
      return out;
    }
    int e = errno;
    CPU_FREE(set);
    if (e == EINVAL && n < (1 << 22)) {
      g_cpus.compare_exchange_strong(n, n * 2);
      continue;
    }
    return ThrowErrno(env, e, "sched_getaffinity");
  }
}

// setAffinity(tid, maskBytes) -> undefined. Throws with code EINVAL/ESRCH/EPERM.
Napi::Value SetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t tid;
  Bytes mask;
  if (!TidArg(info, 0, &tid) || !BytesArg(info, 1, "the mask", &mask)) return env.Undefined();
  int e = SetMask(tid, mask);
  if (e != 0) return ThrowErrno(env, e, "sched_setaffinity");
  return env.Undefined();
}

// getAffinityInto(tid, out) -> number of significant bytes written to `out` (a reusable buffer, so
// the hot path allocates nothing); -needed (< -1) when `out` is too small for the kernel's mask.
Napi::Value GetAffinityInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t tid;
  Bytes out;
  if (!TidArg(info, 0, &tid) || !BytesArg(info, 1, "the output buffer", &out)) return env.Undefined();
  bool thrown = false;
  double used = ReadMask(env, tid, out, &thrown);
  return thrown ? env.Undefined() : Napi::Number::New(env, used);
}

// pinAndRead(tid, maskBytes, out) -> sched_setaffinity then sched_getaffinity in one call (pin()'s
// hot path: one N-API crossing instead of two). Returns -1 when the kernel's mask equals `maskBytes`
// (trailing zero bytes ignored), so JS can hand back the set it asked for without decoding; else the
// number of significant bytes of the kernel's mask written to `out`; or -needed (< -1) when `out` is
// too small for the kernel's mask (the set has happened: JS reads again with a bigger buffer).
Napi::Value PinAndRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t tid;
  Bytes mask, out;
  if (!TidArg(info, 0, &tid) || !BytesArg(info, 1, "the mask", &mask) || !BytesArg(info, 2, "the output buffer", &out)) return env.Undefined();
  int e = SetMask(tid, mask);
  if (e != 0) return ThrowErrno(env, e, "sched_setaffinity");
  bool thrown = false;
  double used = ReadMask(env, tid, out, &thrown);
  if (thrown) return env.Undefined();
  if (used >= 0 && static_cast<size_t>(used) == Significant(mask.data, mask.len) && memcmp(out.data, mask.data, static_cast<size_t>(used)) == 0) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, used);
}

Napi::Value GetTid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(syscall(SYS_gettid)));
}

Napi::Value GetCpu(const Napi::CallbackInfo& info) {
  int cpu = sched_getcpu();
  if (cpu < 0) return ThrowErrno(info.Env(), errno, "sched_getcpu");
  return Napi::Number::New(info.Env(), cpu);
}

// setParentDeathSignal(sig): the kernel sends `sig` to this process when its parent dies,
// so pool workers never outlive a parent killed with SIGKILL.
Napi::Value SetParentDeathSignal(const Napi::CallbackInfo& info) {
  int sig;
  if (!IntArg(info, 0, "signal", 0, 64, &sig)) return info.Env().Undefined();
  if (prctl(PR_SET_PDEATHSIG, sig) != 0) return ThrowErrno(info.Env(), errno, "prctl(PR_SET_PDEATHSIG)");
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("getAffinity", Napi::Function::New(env, GetAffinity));
  exports.Set("getAffinityInto", Napi::Function::New(env, GetAffinityInto));
  exports.Set("setAffinity", Napi::Function::New(env, SetAffinity));
  exports.Set("pinAndRead", Napi::Function::New(env, PinAndRead));
  exports.Set("gettid", Napi::Function::New(env, GetTid));
  exports.Set("getcpu", Napi::Function::New(env, GetCpu));
  exports.Set("setParentDeathSignal", Napi::Function::New(env, SetParentDeathSignal));
  InitSched(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(corepin, Init)
