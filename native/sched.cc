// Memory policy and scheduling class of threads: set_mempolicy/get_mempolicy as raw syscalls (no
// libnuma), setpriority/sched_setscheduler per thread id. Registered by InitSched from corepin.cc.
#include <napi.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include "args.h"

namespace {

using corepin::Bytes;
using corepin::BytesArg;
using corepin::IntArg;
using corepin::TidArg;

constexpr double kIntMin = -2147483648.0;
constexpr double kIntMax = 2147483647.0;

// Node masks are read and written with room for this many nodes (the kernel's MAX_NUMNODES is at
// most 1024 today); get_mempolicy refuses a mask smaller than the machine's possible nodes.
constexpr unsigned long kMaxNodes = 4096;
constexpr size_t kMaskLongs = kMaxNodes / (8 * sizeof(unsigned long));

const char* SchedErrnoName(int e) {
  switch (e) {
    case EINVAL: return "EINVAL";
    case ESRCH: return "ESRCH";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    default: return "EUNKNOWN";
  }
}

Napi::Value Throw(Napi::Env env, int e, const char* what) {
  Napi::Error err = Napi::Error::New(env, std::string(what) + ": " + strerror(e));
  err.Set("code", Napi::String::New(env, SchedErrnoName(e)));
  err.Set("errno", Napi::Number::New(env, e));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

// setMempolicy(mode, nodeMaskBytes): the calling thread's policy (MPOL_* number; bytes little-endian
// bit order like cpu_set_t). Children forked by this thread inherit it, and it survives execve.
Napi::Value SetMempolicy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int mode;
  Bytes bytes;
  if (!IntArg(info, 0, "mode", 0, kIntMax, &mode) || !BytesArg(info, 1, "the node mask", &bytes)) return env.Undefined();
  unsigned long mask[kMaskLongs];
  memset(mask, 0, sizeof(mask));
  size_t len = bytes.len < sizeof(mask) ? bytes.len : sizeof(mask);
  if (len > 0) memcpy(mask, bytes.data, len);
  bool empty = len == 0;
  // MPOL_DEFAULT and MPOL_LOCAL take no nodes: the kernel wants a NULL mask for them.
  long rc = syscall(SYS_set_mempolicy, mode, empty ? nullptr : mask, empty ? 0 : kMaxNodes + 1);
  if (rc != 0) return Throw(env, errno, "set_mempolicy");
  return env.Undefined();
}

// getMempolicy() -> { mode, nodes: Buffer }: the calling thread's policy as the kernel holds it.
Napi::Value GetMempolicy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int mode = 0;
  unsigned long mask[kMaskLongs];
  memset(mask, 0, sizeof(mask));
  if (syscall(SYS_get_mempolicy, &mode, mask, kMaxNodes, nullptr, 0UL) != 0) return Throw(env, errno, "get_mempolicy");
  size_t used = sizeof(mask);
  const uint8_t* raw = reinterpret_cast<const uint8_t*>(mask);
  while (used > 0 && raw[used - 1] == 0) used--;
  Napi::Object out = Napi::Object::New(env);
  out.Set("mode", Napi::Number::New(env, mode));
  out.Set("nodes", Napi::Buffer<uint8_t>::Copy(env, raw, used));
  return out;
}

// setNice(tid, nice): on Linux the nice value belongs to one thread (0 = the calling one).
Napi::Value SetNice(const Napi::CallbackInfo& info) {
  pid_t tid;
  int nice;
  if (!TidArg(info, 0, &tid) || !IntArg(info, 1, "nice value", kIntMin, kIntMax, &nice)) return info.Env().Undefined();
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), nice) != 0) return Throw(info.Env(), errno, "setpriority");
  return info.Env().Undefined();
}

Napi::Value GetNice(const Napi::CallbackInfo& info) {
  pid_t tid;
  if (!TidArg(info, 0, &tid)) return info.Env().Undefined();
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  if (nice == -1 && errno != 0) return Throw(info.Env(), errno, "getpriority");
  return Napi::Number::New(info.Env(), nice);
}

// setScheduler(tid, policy): SCHED_OTHER (0), SCHED_BATCH (3), SCHED_IDLE (5); priority 0.
Napi::Value SetScheduler(const Napi::CallbackInfo& info) {
  pid_t tid;
  int policy;
  if (!TidArg(info, 0, &tid) || !IntArg(info, 1, "policy", 0, kIntMax, &policy)) return info.Env().Undefined();
  struct sched_param param;
  memset(&param, 0, sizeof(param));
  if (sched_setscheduler(tid, policy, &param) != 0) return Throw(info.Env(), errno, "sched_setscheduler");
  return info.Env().Undefined();
}

Napi::Value GetScheduler(const Napi::CallbackInfo& info) {
  pid_t tid;
  if (!TidArg(info, 0, &tid)) return info.Env().Undefined();
  int policy = sched_getscheduler(tid);
  if (policy < 0) return Throw(info.Env(), errno, "sched_getscheduler");
  return Napi::Number::New(info.Env(), policy & ~SCHED_RESET_ON_FORK);
}

// probeSched(nice | null, policy | -1) -> errno (0: allowed). Tries the change on a throwaway thread,
// which starts with the calling thread's nice and class — as a worker forked from it would — so the
// answer is the kernel's own, and nothing of the caller changes.
Napi::Value ProbeSched(const Napi::CallbackInfo& info) {
  bool setNice = info.Length() > 0 && !info[0].IsNull() && !info[0].IsUndefined();
  int nice = 0;
  int policy;
  if (setNice && !IntArg(info, 0, "nice value", kIntMin, kIntMax, &nice)) return info.Env().Undefined();
  if (!IntArg(info, 1, "policy", -1, kIntMax, &policy)) return info.Env().Undefined();
  int result = 0;
  std::thread probe([&]() {
    pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
    if (setNice && setpriority(PRIO_PROCESS, static_cast<id_t>(self), nice) != 0) {
      result = errno;
      return;
    }
    struct sched_param param;
    memset(&param, 0, sizeof(param));
    if (policy >= 0 && sched_setscheduler(self, policy, &param) != 0) result = errno;
  });
  probe.join();
  return Napi::Number::New(info.Env(), result);
}

}  // namespace

/** Adds the memory-policy and scheduling-class functions to the addon's exports. */
void InitSched(Napi::Env env, Napi::Object exports) {
  exports.Set("setMempolicy", Napi::Function::New(env, SetMempolicy));
  exports.Set("getMempolicy", Napi::Function::New(env, GetMempolicy));
  exports.Set("setNice", Napi::Function::New(env, SetNice));
  exports.Set("getNice", Napi::Function::New(env, GetNice));
  exports.Set("setScheduler", Napi::Function::New(env, SetScheduler));
  exports.Set("getScheduler", Napi::Function::New(env, GetScheduler));
  exports.Set("probeSched", Napi::Function::New(env, ProbeSched));
}
