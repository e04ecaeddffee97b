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

void InitSched(Napi::Env env, Napi::Object exports);  // native/sched.cc

namespace {

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

// A thread id argument: 0 (the calling thread, used internally) or a positive integer below 2^31.
// Anything else (a non-number, NaN, a fraction, a negative, 2^32 + 1 …) throws a TypeError with
// code ERR_INVALID_ID instead of being wrapped by Int32Value() into another task's id.
bool TidArg(const Napi::CallbackInfo& info, pid_t* out) {
  Napi::Env env = info.Env();
  bool ok = info.Length() > 0 && info[0].IsNumber();
  double d = ok ? info[0].As<Napi::Number>().DoubleValue() : 0;
  ok = ok && std::isfinite(d) && d == std::trunc(d) && d >= 0 && d < 2147483648.0;
  if (!ok) {
    std::string shown = info.Length() == 0 ? "undefined" : info[0].ToString().Utf8Value();
    if (info.Length() > 0 && info[0].IsString()) shown = "\"" + shown + "\"";
    Napi::TypeError err = Napi::TypeError::New(env, "invalid tid " + shown + ": a thread id is 0 (the calling thread) or a positive integer below 2^31");
    err.Set("code", Napi::String::New(env, "ERR_INVALID_ID"));
    err.ThrowAsJavaScriptException();
    return false;
  }
  *out = static_cast<pid_t>(d);
  return true;
}

// getAffinity(tid) -> Buffer of the mask bytes (little-endian bit order, as cpu_set_t).
Napi::Value GetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t tid;
  if (!TidArg(info, &tid)) return env.Undefined();
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
  if (!TidArg(info, &tid)) return env.Undefined();
  Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
  // The kernel reads exactly `size` bytes; pad to a whole number of longs as cpu_set_t is.
  size_t len = bytes.ByteLength();
  size_t size = (len + sizeof(unsigned long) - 1) / sizeof(unsigned long) * sizeof(unsigned long);
  if (size == 0) size = sizeof(unsigned long);
  unsigned long stack[16];
  unsigned long* buf = size <= sizeof(stack) ? stack : new unsigned long[size / sizeof(unsigned long)];
  memset(buf, 0, size);
  memcpy(buf, bytes.Data(), len);
  int rc = sched_setaffinity(tid, size, reinterpret_cast<cpu_set_t*>(buf));
  int e = errno;
  if (buf != stack) delete[] buf;
  if (rc != 0) return ThrowErrno(env, e, "sched_setaffinity");
  return env.Undefined();
}

// getAffinityInto(tid, out) -> number of significant bytes written to `out` (a reusable buffer, so
// the hot path allocates nothing); -needed when `out` is too small for the kernel's mask.
Napi::Value GetAffinityInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t tid;
  if (!TidArg(info, &tid)) return env.Undefined();
  Napi::Uint8Array out = info[1].As<Napi::Uint8Array>();
  size_t cap = out.ByteLength() / sizeof(unsigned long) * sizeof(unsigned long);
  if (sched_getaffinity(tid, cap, reinterpret_cast<cpu_set_t*>(out.Data())) != 0) {
    int e = errno;
    if (e == EINVAL) return Napi::Number::New(env, -static_cast<double>(cap * 2));
    return ThrowErrno(env, e, "sched_getaffinity");
  }
  size_t used = cap;
  while (used > 0 && out.Data()[used - 1] == 0) used--;
  return Napi::Number::New(env, static_cast<double>(used));
}

// pinAndRead(tid, maskBytes, out) -> sched_setaffinity then sched_getaffinity in one call (pin()'s
// hot path: one N-API crossing instead of two). Returns -1 when the kernel's mask equals `maskBytes`
// (trailing zero bytes ignored), so JS can hand back the set it asked for without decoding; else the
// number of significant bytes of the kernel's mask written to `out`; or -needed (< -1) when `out` is
// too small for the kernel's mask (the set has happened: JS reads again with a bigger buffer).
Napi::Value PinAndRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pid_t tid;
  if (!TidArg(info, &tid)) return env.Undefined();
  Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
  Napi::Uint8Array out = info[2].As<Napi::Uint8Array>();
  size_t len = bytes.ByteLength();
  size_t size = (len + sizeof(unsigned long) - 1) / sizeof(unsigned long) * sizeof(unsigned long);
  if (size == 0) size = sizeof(unsigned long);
  unsigned long stack[16];
  unsigned long* buf = size <= sizeof(stack) ? stack : new unsigned long[size / sizeof(unsigned long)];
  memset(buf, 0, size);
  memcpy(buf, bytes.Data(), len);
  int rc = sched_setaffinity(tid, size, reinterpret_cast<cpu_set_t*>(buf));
  int e = errno;
  if (buf != stack) delete[] buf;
  if (rc != 0) return ThrowErrno(env, e, "sched_setaffinity");
  size_t cap = out.ByteLength() / sizeof(unsigned long) * sizeof(unsigned long);
  uint8_t* got = out.Data();
  if (sched_getaffinity(tid, cap, reinterpret_cast<cpu_set_t*>(got)) != 0) {
    e = errno;
    if (e == EINVAL) return Napi::Number::New(env, -static_cast<double>(cap * 2));
    return ThrowErrno(env, e, "sched_getaffinity");
  }
  size_t used = cap;
  while (used > 0 && got[used - 1] == 0) used--;
  const uint8_t* want = bytes.Data();
  size_t wanted = len;
  while (wanted > 0 && want[wanted - 1] == 0) wanted--;
  if (used == wanted && memcmp(got, want, used) == 0) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, static_cast<double>(used));
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
  int sig = info[0].As<Napi::Number>().Int32Value();
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
