// An invariant a harness asserts. A violation aborts, which libFuzzer records as a crash
// (with the input that caused it) and the replay test reports as a failure.
#pragma once

#include <cstdio>
#include <cstdlib>

#define WW_FUZZ_CHECK(condition, what)                                                        \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz invariant violated: %s\n", __FILE__, __LINE__, what); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)
