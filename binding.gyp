{
  "targets": [
    {
      "target_name": "corepin",
      "conditions": [
        ["OS=='linux'", {
          "sources": ["native/corepin.cc", "native/sched.cc"],
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
          "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS", "_GNU_SOURCE"],
          "cflags_cc": ["-O2", "-std=c++17", "-Wall", "-Wextra"]
        }]
      ]
    }
  ]
}
