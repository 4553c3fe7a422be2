// libsystemc.so defines main() itself and needs a symbol sc_main at link
// time; the test binaries that link SystemC (hw_tests, sim_tests) take
// their main() from GTest::gtest_main instead,
// so this sc_main exists only to satisfy the linker and is never called.
// Each TEST elaborates and runs its own model inside sc_start (ctest runs
// every TEST in its own process: SystemC allows one elaboration per process).
#include <systemc>

int sc_main(int, char *[]) { return 0; }
