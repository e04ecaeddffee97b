// Argument checks shared by corepin.cc and sched.cc. Every addon function checks every argument
// before any system call: a wrong-typed or missing one throws a TypeError (code
// ERR_INVALID_ARG_TYPE), a number that is not an integer in range a RangeError (ERR_OUT_OF_RANGE),
// both naming the argument. Unchecked As<Number>() would read garbage (or 0: the calling thread) and
// act on it, and describing a Symbol with ToString() aborted the process.
#pragma once
#include <napi.h>
#include <sys/types.h>
#include <cmath>
#include <cstdio>
#include <string>

namespace corepin {

// How a message shows a value: numbers and short strings as they are, anything else by its type;
// never by calling into JS (a Symbol cannot be converted, an object's toString could run user code).
inline std::string Shown(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  if (napi_typeof(env, v, &t) != napi_ok) return "a value";
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_symbol: return "a symbol";
    case napi_bigint: return "a bigint";
    case napi_function: return "a function";
    case napi_number: {
      double d = 0;
      napi_get_value_double(env, v, &d);
      char buf[32];
      snprintf(buf, sizeof(buf), "%.17g", d);
      return buf;
    }
    case napi_string: {
      char buf[40];
      size_t len = 0;
      napi_get_value_string_utf8(env, v, buf, sizeof(buf), &len);
      return "\"" + std::string(buf, len) + (len + 1 >= sizeof(buf) ? "…\"" : "\"");
    }
    default: {
      bool array = false;
      napi_is_array(env, v, &array);
      return array ? "an array" : "an object";
    }
  }
}

inline napi_value ArgAt(const Napi::CallbackInfo& info, size_t i) {
  return i < info.Length() ? static_cast<napi_value>(info[i]) : static_cast<napi_value>(info.Env().Undefined());
}

inline void ThrowTyped(Napi::Env env, bool range, const std::string& message, const char* code) {
  Napi::Error err = range ? static_cast<Napi::Error>(Napi::RangeError::New(env, message)) : static_cast<Napi::Error>(Napi::TypeError::New(env, message));
  err.Set("code", Napi::String::New(env, code));
  err.ThrowAsJavaScriptException();
}

// Argument `i` as an integer from `lo` to `hi`; false (with the error thrown) otherwise.
inline bool IntArg(const Napi::CallbackInfo& info, size_t i, const char* name, double lo, double hi, int* out) {
  napi_env env = info.Env();
  napi_value v = ArgAt(info, i);
  napi_valuetype t = napi_undefined;
  double d = 0;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number || napi_get_value_double(env, v, &d) != napi_ok) {
    ThrowTyped(info.Env(), false, std::string("the ") + name + " must be an integer number, got " + Shown(env, v), "ERR_INVALID_ARG_TYPE");
    return false;
  }
  if (!std::isfinite(d) || d != std::trunc(d) || d < lo || d > hi) {
    char range[64];
    snprintf(range, sizeof(range), "from %.0f to %.0f", lo, hi);
    ThrowTyped(info.Env(), true, std::string("the ") + name + " must be an integer " + range + ", got " + Shown(env, v), "ERR_OUT_OF_RANGE");
    return false;
  }
  *out = static_cast<int>(d);
  return true;
}

// A thread id argument: 0 (the calling thread, used internally) or a positive integer below 2^31.
// Anything else throws a TypeError with code ERR_INVALID_ID instead of being wrapped by Int32Value()
// into another task's id.
inline bool TidArg(const Napi::CallbackInfo& info, size_t i, pid_t* out) {
  napi_env env = info.Env();
  napi_value v = ArgAt(info, i);
  napi_valuetype t = napi_undefined;
  double d = 0;
  bool ok = napi_typeof(env, v, &t) == napi_ok && t == napi_number && napi_get_value_double(env, v, &d) == napi_ok;
  ok = ok && std::isfinite(d) && d == std::trunc(d) && d >= 0 && d < 2147483648.0;
  if (!ok) {
    ThrowTyped(info.Env(), false, "invalid tid " + Shown(env, v) + ": a thread id is 0 (the calling thread) or a positive integer below 2^31", "ERR_INVALID_ID");
    return false;
  }
  *out = static_cast<pid_t>(d);
  return true;
}

// A Uint8Array argument (a mask, or the buffer a mask is read into). Anything else is refused with
// a TypeError (code ERR_INVALID_ARG_TYPE) before any system call.
struct Bytes {
  uint8_t* data;
  size_t len;
};

inline bool BytesArg(const Napi::CallbackInfo& info, size_t i, const char* what, Bytes* out) {
  napi_env env = info.Env();
  napi_value v = ArgAt(info, i);
  bool typed = false;
  napi_typedarray_type type = napi_int8_array;
  void* data = nullptr;
  size_t len = 0;
  if (napi_is_typedarray(env, v, &typed) == napi_ok && typed &&
      napi_get_typedarray_info(env, v, &type, &len, &data, nullptr, nullptr) == napi_ok && type == napi_uint8_array) {
    *out = Bytes{static_cast<uint8_t*>(data), len};
    return true;
  }
  ThrowTyped(info.Env(), false, std::string(what) + " must be a Uint8Array of mask bytes (bit n of byte n / 8 is number n), got " + Shown(env, v), "ERR_INVALID_ARG_TYPE");
  return false;
}

}  // namespace corepin
