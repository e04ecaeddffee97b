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
#include <utility>
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

// setAffinityBits and pinAndReadBits are pin()'s hot path for sets whose CPUs are all below 53: the
// mask is a plain number (bit n is CPU n; exact in a double below 2^53), so the call makes no
// typed-array lookups, and they are raw N-API callbacks making as few N-API calls as they can. With
// PTI and no PCID every system call empties the TLB, so each distinct function or object touched
// per call costs a page walk (measured in bench/history/pin3.md). Arguments are refused as the
// other functions refuse them, before any system call.
constexpr double kBitsLimit = 9007199254740992.0;  // 2^53
constexpr unsigned kWordBits = 8 * sizeof(unsigned long);
constexpr size_t kBitsWords = 64 / kWordBits;  // words holding 64 bits (1, or 2 where long is 32 bits)

// Arguments 0 (tid) and 1 (bits), one N-API call each; false with the typed error thrown.
bool BitsArgs(napi_env env, napi_callback_info cb, pid_t* tid, uint64_t* bits) {
  size_t argc = 2;
  napi_value argv[2];
  double t = 0, b = 0;
  if (napi_get_cb_info(env, cb, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  bool tidOk = argc > 0 && napi_get_value_double(env, argv[0], &t) == napi_ok && t >= 0 && t < 2147483648.0 && t == std::trunc(t);
  bool bitsOk = argc > 1 && napi_get_value_double(env, argv[1], &b) == napi_ok && b >= 1 && b < kBitsLimit && b == std::trunc(b);
  if (tidOk && bitsOk) {
    *tid = static_cast<pid_t>(t);
    *bits = static_cast<uint64_t>(b);
    return true;
  }
  // Slow path, for the messages only.
  Napi::CallbackInfo info(env, cb);
  pid_t ignored;
  if (!tidOk && !TidArg(info, 0, &ignored)) return false;
  napi_value v = corepin::ArgAt(info, 1);
  napi_valuetype type = napi_undefined;
  bool number = napi_typeof(env, v, &type) == napi_ok && type == napi_number;
  std::string message = std::string("the mask bits must be ") + (number ? "an integer from 1 to 2^53 - 1 (bit n is CPU n)" : "an integer number") + ", got " + corepin::Shown(env, v);
  corepin::ThrowTyped(Napi::Env(env), number, message, number ? "ERR_OUT_OF_RANGE" : "ERR_INVALID_ARG_TYPE");
  return false;
}

// setAffinityBits(tid, bits) -> undefined: sched_setaffinity to the CPUs of `bits`.
napi_value SetAffinityBits(napi_env env, napi_callback_info cb) {
  pid_t tid;
  uint64_t bits;
  if (!BitsArgs(env, cb, &tid, &bits)) return nullptr;
  unsigned long mask[kBitsWords];
  for (size_t w = 0; w < kBitsWords; w++) mask[w] = static_cast<unsigned long>(bits >> (w * kWordBits));
  if (sched_setaffinity(tid, sizeof(mask), reinterpret_cast<cpu_set_t*>(mask)) != 0) ThrowErrno(Napi::Env(env), errno, "sched_setaffinity");
  return nullptr;
}

// pinAndReadBits(tid, bits) -> sched_setaffinity then sched_getaffinity: -1 when the kernel's mask is
// exactly `bits`; else that mask as a number when all its CPUs are below 53 (on success the kernel
// applied a subset of `bits`, but a cpuset change between the two calls can put the thread on CPUs
// not asked for); else -2: the set happened, and the mask must be read with getAffinityInto.
napi_value PinAndReadBits(napi_env env, napi_callback_info cb) {
  pid_t tid;
  uint64_t bits;
  if (!BitsArgs(env, cb, &tid, &bits)) return nullptr;
  unsigned long mask[1024 / kWordBits] = {};
  for (size_t w = 0; w < kBitsWords; w++) mask[w] = static_cast<unsigned long>(bits >> (w * kWordBits));
  if (sched_setaffinity(tid, kBitsWords * sizeof(unsigned long), reinterpret_cast<cpu_set_t*>(mask)) != 0) {
    ThrowErrno(Napi::Env(env), errno, "sched_setaffinity");
    return nullptr;
  }
  double answer = -2;  // also when 1024 CPUs cannot hold the kernel's mask (EINVAL)
  if (sched_getaffinity(tid, sizeof(mask), reinterpret_cast<cpu_set_t*>(mask)) == 0) {
    uint64_t got = 0;
    bool high = false;
    for (size_t w = 0; w < sizeof(mask) / sizeof(mask[0]); w++) {
      if (w < kBitsWords) got |= static_cast<uint64_t>(mask[w]) << (w * kWordBits);
      else high = high || mask[w] != 0;
    }
    if (!high && got == bits) answer = -1;
    else if (!high && got < static_cast<uint64_t>(kBitsLimit)) answer = static_cast<double>(got);
  } else if (errno != EINVAL) {
    ThrowErrno(Napi::Env(env), errno, "sched_getaffinity");
    return nullptr;
  }
  napi_value out = nullptr;
  napi_create_double(env, answer, &out);
  return out;
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
  for (auto [name, fn] : {std::pair<const char*, napi_callback>{"setAffinityBits", SetAffinityBits}, {"pinAndReadBits", PinAndReadBits}}) {
    napi_value f;
    napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
    exports.Set(name, f);
  }
  exports.Set("gettid", Napi::Function::New(env, GetTid));
  exports.Set("getcpu", Napi::Function::New(env, GetCpu));
  exports.Set("setParentDeathSignal", Napi::Function::New(env, SetParentDeathSignal));
  InitSched(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(corepin, Init)
