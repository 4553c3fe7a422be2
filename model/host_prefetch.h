// Starts loading a host cache line that a simulation step will read soon,
// for the large random-access tables (frame descriptors, the coherence
// directory) whose lines are cold when an operation reaches them. An asm
// statement rather than __builtin_prefetch: GCC 12 deletes calls to a
// function whose only effect is the builtin (it counts as pure), which
// would silently drop every prefetch made through a helper.
#pragma once

namespace buddysim::model {

inline void host_prefetch(const void *p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" ::"m"(*static_cast<const char *>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace buddysim::model
