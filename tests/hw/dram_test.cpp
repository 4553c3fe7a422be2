// Tests for the DRAM model (sim/hw/dram/): idle latencies equal the timing
// formulas for every preset, each rank and bank constraint (tFAW, tRRD_S/L,
// tCCD_S/L, tWTR, refresh) shows up at exactly its cycle, FR-FCFS and the
// page policies, the address mapping on hand-worked addresses, the exact
// messages for bad parameters and trace lines, the bandwidth of streaming
// and random traces, and the `buddysim dram` command end to end.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sim/hw/dram/dram_command.h"
#include "sim/hw/dram/dram_controller.h"
#include "sim/hw/dram/dram_trace.h"

namespace buddysim::hw {
namespace {

namespace fs = std::filesystem;

const fs::path kDramData = fs::path(BUDDYSIM_TEST_DATA) / "dram";
// Long after any request of a test has finished, before the first refresh
// of the presets (tREFI >= 9360): the bank is idle again.
constexpr Cycle kLater = 1000;
constexpr std::size_t kStreamRequests = 20000;

// ---- helpers ---------------------------------------------------------------

DramAddress bank_at(std::uint32_t bankgroup, std::uint32_t bank, std::uint32_t row, std::uint32_t column = 0,
                    std::uint32_t rank = 0) {
  return DramAddress{0, rank, bankgroup, bank, row, column};
}

struct Harness {
  DramController controller;
  explicit Harness(DramConfig config) : controller(std::move(config)) {}

  void add(const DramAddress &where, Cycle arrival, bool is_write = false) {
    controller.submit({controller.address_map().encode(where), is_write, arrival});
  }
  // Serves everything; completions in submission order.
  std::vector<DramCompletion> run() {
    std::vector<DramCompletion> done;
    controller.drain(&done);
    std::sort(done.begin(), done.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    return done;
  }
};

std::string message_of(const std::function<void()> &f) {
  try {
    f();
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "(no exception)";
}

// ---- idle latencies per preset -----------------------------------------------

class PresetTest : public ::testing::TestWithParam<std::string_view> {
 protected:
  DramConfig config = DramConfig::from_preset(GetParam());
};

std::string preset_test_name(const ::testing::TestParamInfo<std::string_view> &info) {
  std::string name(info.param);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Presets, PresetTest, ::testing::ValuesIn(DramConfig::preset_names()), preset_test_name);

TEST_P(PresetTest, ReadMissLatencyIsTrcdPlusClPlusHalfBurst) {
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0);
  const auto done = h.run();
  EXPECT_EQ(done[0].outcome, RowOutcome::miss);
  EXPECT_EQ(done[0].latency(), Cycle{config.tRCD + config.CL + config.BL / 2}) << "miss = tRCD + CL + BL/2";
  EXPECT_EQ(done[0].latency(), h.controller.idle_latency(RowOutcome::miss, false));
}

TEST_P(PresetTest, ReadHitLatencyIsClPlusHalfBurst) {
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0);
  h.add(bank_at(0, 0, 1, 1), kLater);
  const auto done = h.run();
  EXPECT_EQ(done[1].outcome, RowOutcome::hit);
  EXPECT_EQ(done[1].latency(), Cycle{config.CL + config.BL / 2}) << "hit = CL + BL/2";
  EXPECT_EQ(done[1].latency(), h.controller.idle_latency(RowOutcome::hit, false));
}

TEST_P(PresetTest, ReadConflictLatencyIsTrpPlusTrcdPlusClPlusHalfBurst) {
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0);
  h.add(bank_at(0, 0, 2), kLater);
  const auto done = h.run();
  EXPECT_EQ(done[1].outcome, RowOutcome::conflict);
  EXPECT_EQ(done[1].latency(), Cycle{config.tRP + config.tRCD + config.CL + config.BL / 2});
  EXPECT_EQ(done[1].latency(), h.controller.idle_latency(RowOutcome::conflict, false));
}

TEST_P(PresetTest, WriteLatenciesUseCwl) {
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0, true);
  h.add(bank_at(0, 0, 1, 1), kLater, true);
  h.add(bank_at(0, 0, 2), 2 * kLater, true);
  const auto done = h.run();
  const Cycle column = config.CWL + config.BL / 2;
  EXPECT_EQ(done[0].latency(), config.tRCD + column) << "write miss";
  EXPECT_EQ(done[1].latency(), column) << "write hit";
  EXPECT_EQ(done[2].latency(), config.tRP + config.tRCD + column) << "write conflict";
}

TEST_P(PresetTest, LoneRequestsHaveNoQueueingDelay) {
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0);
  h.add(bank_at(0, 0, 1, 1), kLater);
  h.add(bank_at(0, 0, 2), 2 * kLater);
  h.run();
  EXPECT_EQ(h.controller.stats().total().queue_delay_sum, 0u);
}

// ---- rank and bank-group constraints -----------------------------------------

TEST_P(PresetTest, FifthActivateInARankWaitsForTheFawWindow) {
  // Make the window the binding limit where the preset's tFAW equals four
  // tRRD_S (DDR5-4800: 32 = 4 x 8).
  if (config.tFAW <= 4 * config.tRRD_S) config.set("tFAW", 6 * config.tRRD_S);
  Harness h(config);
  // Five misses at once, bank groups 0, 1, 2, 3, 0: each ACT tRRD_S after
  // the previous one, except that the fifth must wait for the first + tFAW.
  for (std::uint32_t i = 0; i < 5; ++i) h.add(bank_at(i % 4, i / 4, 1), 0);
  const auto done = h.run();
  for (std::uint32_t i = 1; i < 4; ++i) EXPECT_EQ(done[i].activate_cycle, Cycle{i * config.tRRD_S});
  EXPECT_EQ(done[4].activate_cycle, done[0].activate_cycle + config.tFAW) << "fifth ACT waits for the window";
}

TEST_P(PresetTest, ActivatesInOneBankGroupAreTrrdLApartAndAcrossTrrdS) {
  Harness same(config);
  same.add(bank_at(0, 0, 1), 0);
  same.add(bank_at(0, 1, 1), 0);
  const auto s = same.run();
  EXPECT_EQ(s[1].activate_cycle - s[0].activate_cycle, Cycle{config.tRRD_L}) << "same bank group";

  Harness other(config);
  other.add(bank_at(0, 0, 1), 0);
  other.add(bank_at(1, 0, 1), 0);
  const auto o = other.run();
  EXPECT_EQ(o[1].activate_cycle - o[0].activate_cycle, Cycle{config.tRRD_S}) << "different bank groups";
}

TEST_P(PresetTest, ColumnCommandsInOneBankGroupAreTccdLApartAndAcrossTccdS) {
  // Open the rows first; then two hits arrive together.
  for (const std::uint32_t second_group : {0u, 1u}) {
    Harness h(config);
    h.add(bank_at(0, 0, 1), 0);
    h.add(bank_at(second_group, 1, 1), 0);
    h.add(bank_at(0, 0, 1, 1), kLater);
    h.add(bank_at(second_group, 1, 1, 1), kLater);
    const auto done = h.run();
    ASSERT_EQ(done[2].outcome, RowOutcome::hit);
    ASSERT_EQ(done[3].outcome, RowOutcome::hit);
    const Cycle expected = second_group == 0 ? config.tCCD_L : config.tCCD_S;
    EXPECT_EQ(done[3].column_cycle - done[2].column_cycle, expected) << "second bank group " << second_group;
  }
}

TEST_P(PresetTest, ReadAfterWriteInOneBankGroupWaitsTwtrL) {
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0, true);
  h.add(bank_at(0, 1, 1), 0);  // same bank group, other bank
  const auto done = h.run();
  EXPECT_EQ(done[1].column_cycle, done[0].completion_cycle + config.tWTR_L) << "tWTR_L from the end of write data";
}

// ---- refresh -------------------------------------------------------------------

TEST_P(PresetTest, RequestArrivingDuringRefreshWaitsUntilTrfcEnds) {
  Harness h(config);
  const Cycle refresh = config.tREFI;  // rank 0's first refresh; its banks are all closed
  h.add(bank_at(0, 0, 1), refresh + 10);
  const auto done = h.run();
  EXPECT_EQ(done[0].activate_cycle, refresh + config.tRFC);
  EXPECT_EQ(done[0].completion_cycle, refresh + config.tRFC + config.tRCD + config.CL + config.BL / 2);
}

TEST_P(PresetTest, RefreshPrechargesOpenRowsFirst) {
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0);  // leaves row 1 open
  const Cycle refresh = config.tREFI;
  h.add(bank_at(0, 0, 1, 1), refresh + 10);
  const auto done = h.run();
  EXPECT_EQ(done[1].outcome, RowOutcome::miss) << "the refresh closed row 1";
  EXPECT_EQ(done[1].activate_cycle, refresh + config.tRP + config.tRFC) << "PRE at the due cycle, REF tRP later";
}

TEST_P(PresetTest, RankZeroRefreshesEveryTrefi) {
  config.set("page_policy", "closed");  // banks are closed whenever a refresh falls due
  Harness h(config);
  for (Cycle k = 1; k <= 3; ++k) h.add(bank_at(0, 0, 1), k * config.tREFI + 1);
  const auto done = h.run();
  for (Cycle k = 1; k <= 3; ++k)
    EXPECT_EQ(done[k - 1].activate_cycle, k * config.tREFI + config.tRFC) << "refresh " << k;
}

TEST(DramRefresh, DisabledWhenTrefiIsZero) {
  DramConfig config;
  config.set("tREFI", 0);
  Harness h(config);
  h.add(bank_at(0, 0, 1), 10 * DramConfig{}.tREFI);
  const auto done = h.run();
  EXPECT_EQ(done[0].latency(), h.controller.idle_latency(RowOutcome::miss, false));
  EXPECT_EQ(h.controller.stats().total().refreshes, 0u);
}

// ---- scheduling and page policy ------------------------------------------------

TEST(DramScheduler, FrFcfsServesARowHitBeforeAnOlderConflict) {
  Harness h(DramConfig{});
  h.add(bank_at(0, 0, 1), 0);     // opens row 1
  h.add(bank_at(0, 0, 2), 1);     // older, conflicts
  h.add(bank_at(0, 0, 1, 1), 2);  // younger, hits row 1
  const auto done = h.run();
  EXPECT_EQ(done[2].outcome, RowOutcome::hit);
  EXPECT_EQ(done[1].outcome, RowOutcome::conflict);
  EXPECT_LT(done[2].completion_cycle, done[1].completion_cycle) << "the hit goes first";
}

TEST(DramScheduler, AQueueOfOneServesInArrivalOrder) {
  DramConfig config;
  config.set("queue_size", 1);
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0);
  h.add(bank_at(0, 0, 2), 1);
  h.add(bank_at(0, 0, 1, 1), 2);
  const auto done = h.run();
  EXPECT_LT(done[1].completion_cycle, done[2].completion_cycle) << "no younger request in the window";
  EXPECT_EQ(done[2].outcome, RowOutcome::conflict) << "row 2 is open by then";
}

TEST(DramPagePolicy, ClosedPageTurnsHitsIntoMisses) {
  DramConfig config;
  config.set("page_policy", "closed");
  Harness h(config);
  h.add(bank_at(0, 0, 1), 0);
  h.add(bank_at(0, 0, 1, 1), kLater);
  h.add(bank_at(0, 0, 2), 2 * kLater);
  const auto done = h.run();
  for (const DramCompletion &c : done) {
    EXPECT_EQ(c.outcome, RowOutcome::miss);
    EXPECT_EQ(c.latency(), Cycle{config.tRCD + config.CL + config.BL / 2});
  }
  EXPECT_EQ(h.controller.stats().total().row_hits, 0u);
}

TEST(DramController, ArrivalsMustNotDecrease) {
  DramController c{DramConfig{}};
  c.submit({0x40, false, 100});
  EXPECT_EQ(message_of([&] {
              c.submit({0x80, false, 99});
            }),
            "dram request: expected an arrival cycle of at least 100 (arrivals must not decrease), found 99");
}

TEST(DramController, AdvanceDecidesOnlyWhatIsDue) {
  DramController c{DramConfig{}};
  c.submit({0x0, false, 0});
  c.submit({0x40, false, 500});
  EXPECT_EQ(c.advance(499), 1u) << "the request at 500 is not due yet";
  EXPECT_EQ(c.next_decision_cycle(), 500);
  EXPECT_EQ(c.drain(), 1u);
  EXPECT_EQ(c.next_decision_cycle(), DramController::kNever);
}

// ---- address mapping -------------------------------------------------------------

TEST(DramAddressMap, DecodesFieldsInTheGivenOrder) {
  // DDR4-3200, "ro,ch,ra,ba,bg,co", from bit 0: 6 offset bits (64-byte
  // bursts), co 7 bits (1024 columns / BL8), bg 2, ba 2, ra 1, ch 0, ro 16.
  // 0x48d37550 = 0x1234 << 18 | 1 << 17 | 2 << 15 | 3 << 13 | 0x55 << 6 | 0x10.
  const DramAddressMap map{DramConfig{}};
  const DramAddress a = map.decode(0x48d37550);
  EXPECT_EQ(a.row, 0x1234u);
  EXPECT_EQ(a.rank, 1u);
  EXPECT_EQ(a.bank, 2u);
  EXPECT_EQ(a.bankgroup, 3u);
  EXPECT_EQ(a.column, 0x55u);
  EXPECT_EQ(a.channel, 0u);
}

TEST(DramAddressMap, AnotherOrderMovesTheFields) {
  // DDR5-4800 (2 channels, 1 rank, 8 bank groups, 64 bursts a row) with
  // "ro,ra,ba,bg,co,ch", from bit 0: offset 6, ch 1 (bit 6), co 6 (bits
  // 7-12), bg 3 (13-15), ba 2 (16-17), ra 0, ro 16 (18-33). 0x48d37550 has
  // bit 6 set, bits 7-12 = 101010b, 13-15 = 011b, 16-17 = 11b, row 0x1234.
  DramConfig config = DramConfig::from_preset("DDR5-4800");
  config.set("mapping", "ro,ra,ba,bg,co,ch");
  const DramAddress a = DramAddressMap(config).decode(0x48d37550);
  EXPECT_EQ(a.channel, 1u);
  EXPECT_EQ(a.column, 42u);
  EXPECT_EQ(a.bankgroup, 3u);
  EXPECT_EQ(a.bank, 3u);
  EXPECT_EQ(a.rank, 0u);
  EXPECT_EQ(a.row, 0x1234u);
}

TEST(DramAddressMap, EncodeInvertsDecode) {
  const DramAddressMap map{DramConfig::from_preset("DDR5-4800")};
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t addr = rng() & ((std::uint64_t{1} << map.total_bits()) - 1) & ~std::uint64_t{63};
    EXPECT_EQ(map.encode(map.decode(addr)), addr);
  }
}

// ---- parameter errors ------------------------------------------------------------

TEST(DramConfigSet, OutOfRangeIntegerNamesKeyAndRange) {
  DramConfig c;
  EXPECT_EQ(message_of([&] { c.set("tRCD", -3); }), "dram.tRCD: expected an integer from 1 to 1000, found -3");
  EXPECT_EQ(message_of([&] { c.set("dram.tRCD", "abc"); }),
            "dram.tRCD: expected an integer from 1 to 1000, found \"abc\"");
}

TEST(DramConfigSet, StructureMustBeAPowerOfTwo) {
  DramConfig c;
  EXPECT_EQ(message_of([&] { c.set("channels", 3); }), "dram.channels: expected a power of two from 1 to 64, found 3");
}

TEST(DramConfigSet, UnknownKeyGetsDidYouMean) {
  DramConfig c;
  EXPECT_EQ(message_of([&] { c.set("tRDC", 17); }), "dram.tRDC: unknown parameter (did you mean dram.tRCD?)");
  EXPECT_EQ(message_of([&] { c.set("chanels", 2); }), "dram.chanels: unknown parameter (did you mean dram.channels?)");
  EXPECT_TRUE(message_of([&] {
                c.set("flux_capacitor", 1);
              }).starts_with("dram.flux_capacitor: unknown parameter; known parameters: preset tCK CL"));
}

TEST(DramConfigSet, TextParametersNameTheirChoices) {
  DramConfig c;
  EXPECT_EQ(message_of([&] { c.set("page_policy", "half"); }),
            "dram.page_policy: expected open or closed, found \"half\"");
  EXPECT_EQ(message_of([&] { c.set("preset", "DDR4-2666"); }),
            "dram.preset: expected DDR4-2400, DDR4-3200 or DDR5-4800, found \"DDR4-2666\"");
  EXPECT_EQ(message_of([&] { c.set("mapping", "ro,ch,ra,ba,bg"); }),
            "dram.mapping: expected each of ro, ch, ra, ba, bg, co exactly once, most significant first, "
            "found \"ro,ch,ra,ba,bg\" (missing co)");
  EXPECT_EQ(message_of([&] { c.set("mapping", "ro,ch,ra,ba,bg,co,ro"); }),
            "dram.mapping: expected each of ro, ch, ra, ba, bg, co exactly once, most significant first, "
            "found \"ro,ch,ra,ba,bg,co,ro\" (ro twice)");
}

TEST(DramConfigSet, GoodValuesTakeEffect) {
  DramConfig c;
  c.set("tRCD", 17);
  c.set("channels", 2);
  c.set("mapping", "ro,ra,ba,co,bg,ch");
  c.set("page_policy", "closed");
  EXPECT_EQ(c.tRCD, 17u);
  EXPECT_EQ(c.channels, 2u);
  EXPECT_EQ(c.get("mapping"), "ro,ra,ba,co,bg,ch");
  EXPECT_EQ(c.page_policy, PagePolicy::closed);
}

TEST(DramConfigValidate, RelationsBetweenParameters) {
  DramConfig c;
  c.set("BL", 32);
  c.set("columns", 16);
  EXPECT_EQ(message_of([&] { DramController{c}; }), "dram.columns: expected at least BL (32), found 16");
  DramConfig r;
  r.set("tREFI", 500);
  EXPECT_EQ(message_of([&] { DramController{r}; }),
            "dram.tREFI: expected 0 (no refresh) or more than tRFC (560), found 500");
}

// ---- trace lines -------------------------------------------------------------------

std::string trace_error(const std::string &text) {
  std::istringstream in(text);
  DramTraceReader reader(in, "t.trace");
  DramRequest r;
  return message_of([&] {
    while (reader.next(r)) {
    }
  });
}

TEST(DramTrace, BadLinesNameFileLineAndWhatWasExpected) {
  EXPECT_EQ(trace_error("0x40 READ\n"), "t.trace:1: expected 3 fields '0xADDRESS READ|WRITE CYCLE', found 2");
  EXPECT_EQ(trace_error("0x40 READ 5 now\n"), "t.trace:1: expected 3 fields '0xADDRESS READ|WRITE CYCLE', found more");
  EXPECT_EQ(trace_error("0xZZ READ 5\n"), "t.trace:1: expected a hexadecimal address of at most 64 bits, found '0xZZ'");
  EXPECT_EQ(trace_error("\n0x40 LOAD 5\n"), "t.trace:2: expected READ, WRITE, RD or WR, found 'LOAD'");
  EXPECT_EQ(trace_error("0x40 READ -5\n"), "t.trace:1: expected a cycle (a non-negative integer), found '-5'");
  EXPECT_EQ(trace_error("0x40 READ 10\n0x80 WRITE 5\n"),
            "t.trace:2: expected a cycle of at least 10 (cycles must not decrease), found 5");
}

TEST(DramTrace, SkipsCommentsAndBlankLinesAndAcceptsShortOps) {
  std::istringstream in("# header\n\n  0x40 rd 3 # trailing\r\n7f00 WR 4\n");
  DramTraceReader reader(in, "t.trace");
  DramRequest r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.addr, 0x40u);
  EXPECT_FALSE(r.is_write);
  EXPECT_EQ(r.arrival_cycle, 3);
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.addr, 0x7f00u);
  EXPECT_TRUE(r.is_write);
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.line_number(), 4u);
}

// ---- bandwidth ----------------------------------------------------------------------

// Sequential 64-byte requests all waiting at cycle 0, with the bank group
// (and channel) in the lowest bits so consecutive bursts never pay tCCD_L.
TEST_P(PresetTest, SequentialStreamReachesNearPeakBandwidth) {
  config.set("mapping", "ro,ra,ba,co,bg,ch");
  DramController c(config);
  for (std::uint64_t i = 0; i < kStreamRequests; ++i) c.submit({i * config.burst_bytes(), false, 0});
  c.drain();
  const DramStats s = c.stats();
  const double bandwidth = s.total().bandwidth_gbps(config, s.simulated_cycles());
  // Refresh takes each rank away for tRFC of every tREFI (7.6% on DDR5-4800,
  // whose subchannels have one rank); within 5% of what is left is "near".
  const double available = 1.0 - static_cast<double>(config.tRFC) / config.tREFI;
  EXPECT_GT(bandwidth, 0.95 * available * config.peak_bandwidth_gbps()) << "peak " << config.peak_bandwidth_gbps();
  EXPECT_LE(bandwidth, config.peak_bandwidth_gbps());
}

TEST_P(PresetTest, RandomTraceMostlyConflicts) {
  DramController c(config);
  std::mt19937_64 rng(42);
  constexpr Cycle kInterval = 20;
  for (std::uint64_t i = 0; i < kStreamRequests; ++i)
    c.submit({rng() & ((std::uint64_t{1} << c.address_map().total_bits()) - 1), i % 3 == 0, Cycle(i) * kInterval});
  c.drain();
  const DramChannelStats t = c.stats().total();
  EXPECT_EQ(t.requests(), kStreamRequests);
  EXPECT_GT(t.row_conflicts, t.requests() * 8 / 10);
  EXPECT_LT(t.row_hits, t.requests() / 20);
}

TEST(DramController, EveryRequestCompletesOnceAndNoFasterThanIdle) {
  const DramConfig config = DramConfig::from_preset("DDR5-4800");
  DramController c(config);
  std::mt19937_64 rng(7);
  Cycle t = 0;
  for (int i = 0; i < 5000; ++i) {
    t += static_cast<Cycle>(rng() % 16);
    // A few hot rows so hits, misses and conflicts all occur.
    c.submit({(rng() % 4) << 18 | (rng() % 512) << 6, rng() % 2 == 0, t});
  }
  std::vector<DramCompletion> done;
  c.drain(&done);
  ASSERT_EQ(done.size(), 5000u);
  std::vector<bool> seen(done.size());
  for (const DramCompletion &d : done) {
    EXPECT_FALSE(seen[d.id]);
    seen[d.id] = true;
    EXPECT_GE(d.latency(), config.idle_latency(d.outcome, d.request.is_write));
  }
  const DramChannelStats s = c.stats().total();
  EXPECT_GT(s.row_hits, 0u);
  EXPECT_GT(s.row_misses + s.row_conflicts, 0u);
}

// ---- the command ----------------------------------------------------------------------

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("buddysim-dram-test-" + std::to_string(::getpid()) + ".json");
  ~TempFile() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
};

nlohmann::json run_small_trace(const std::vector<std::string> &extra) {
  TempFile out;
  std::vector<std::string> args = {(kDramData / "small.trace").string(), "-o", out.path.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream stdout_text, stderr_text;
  EXPECT_EQ(run_dram_command(args, stdout_text, stderr_text), 0) << stderr_text.str();
  std::ifstream in(out.path);
  return nlohmann::json::parse(in);
}

// small.trace: a read miss, a read hit, a read conflict and a write hit in
// one bank, each long after the previous one.
TEST(DramCommand, WritesTheFiguresOfASmallTrace) {
  const nlohmann::json j = run_small_trace({});
  EXPECT_EQ(j["preset"], "DDR4-3200");
  EXPECT_EQ(j["requests"], 4);
  EXPECT_EQ(j["row_hits"], 2);
  EXPECT_EQ(j["row_misses"], 1);
  EXPECT_EQ(j["row_conflicts"], 1);
  EXPECT_DOUBLE_EQ(j["avg_read_latency_cycles"].get<double>(), (48 + 26 + 70) / 3.0);  // miss, hit, conflict
  EXPECT_DOUBLE_EQ(j["avg_read_latency_ns"].get<double>(), 48 * 0.625);
  EXPECT_DOUBLE_EQ(j["avg_write_latency_cycles"].get<double>(), 16 + 4);  // CWL + BL/2
  EXPECT_DOUBLE_EQ(j["avg_queue_delay_cycles"].get<double>(), 0.0);
  EXPECT_EQ(j["simulated_cycles"], 3000 + 20);
  EXPECT_EQ(j["channels"].size(), 1u);
  for (const char *key : {"bandwidth_gbps", "host_seconds", "simulated_ns", "config"}) EXPECT_TRUE(j.contains(key));
}

TEST(DramCommand, PresetCanBeChosenWithSet) {
  const nlohmann::json j = run_small_trace({"--set", "dram.preset=DDR5-4800"});
  EXPECT_EQ(j["preset"], "DDR5-4800");
  EXPECT_EQ(j["channels"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["avg_read_latency_cycles"].get<double>(), (87 + 48 + 126) / 3.0);
  EXPECT_DOUBLE_EQ(j["avg_write_latency_cycles"].get<double>(), 38 + 8);
}

TEST(DramCommand, BadInputExitsTwoWithTheMessage) {
  const std::string trace = (kDramData / "small.trace").string();
  const std::string bad = (kDramData / "bad_op.trace").string();
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{trace, "--set", "dram.tRDC=5"}, "buddysim dram: dram.tRDC: unknown parameter (did you mean dram.tRCD?)\n"},
      {{trace, "--set", "tRCD=5"}, "buddysim dram: --set: expected dram.KEY=VALUE, found 'tRCD=5'\n"},
      {{trace, "--set=dram.CL=0"}, "buddysim dram: dram.CL: expected an integer from 1 to 1000, found 0\n"},
      {{bad}, "buddysim dram: " + bad + ":3: expected READ, WRITE, RD or WR, found 'FETCH'\n"},
      {{trace + ".missing"}, "buddysim dram: " + trace + ".missing: cannot open the trace\n"},
  };
  for (const Case &c : cases) {
    std::ostringstream out, err;
    EXPECT_EQ(run_dram_command(c.args, out, err), 2);
    EXPECT_EQ(err.str(), c.message);
  }
  std::ostringstream out, err;
  EXPECT_EQ(run_dram_command({"--frobnicate"}, out, err), 2);
  EXPECT_TRUE(err.str().starts_with("buddysim dram: unknown option '--frobnicate'\nusage: buddysim dram TRACE"));
}

}  // namespace
}  // namespace buddysim::hw
