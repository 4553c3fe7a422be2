// Tests for trace replay (sim/workload/trace_source.h): both formats turned
// into exact Op sequences, a table of bad lines with the exact message each
// produces under the strict policy and its count under the lenient one, the
// non-fatal issues of real ftrace output, real excerpts from public traces
// (tests/data/traces/SOURCES.md) and the excerpt the shipped scenario replays.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "model/gfp.h"
#include "sim/scenario/scenario_error.h"
#include "sim/workload/trace_source.h"

namespace buddysim::workload {
namespace {

namespace fs = std::filesystem;
using scenario::ScenarioError;
using scenario::TraceSpec;
using Kind = Op::Kind;

const fs::path kTraceData = fs::path(BUDDYSIM_TEST_DATA) / "traces";

// A folder of this process's own for the traces the tests write, removed at exit.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("buddysim-trace-test-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

// A trace file holding `text`, named after the running test.
fs::path write_trace(const std::string &text, const std::string &suffix = ".trace") {
  static const TempDir dir;
  static int counter = 0;
  const auto *test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path path =
      dir.path / (std::string(test->test_suite_name()) + "." + test->name() + "." + std::to_string(counter++) + suffix);
  std::ofstream(path) << text;
  return path;
}

TraceSpec spec(TraceSpec::Format format, const fs::path &path, TraceSpec::Policy policy = TraceSpec::Policy::Strict) {
  TraceSpec trace;
  trace.format = format;
  trace.path = path;
  trace.policy = policy;
  return trace;
}

// Every op of the source, each Alloc reported back as a success.
std::vector<Op> replay(OpSource &source) {
  std::vector<Op> ops;
  while (const std::optional<Op> op = source.next()) {
    if (op->kind == Kind::Alloc) source.completed(*op, true, 0, op->time_ns);
    ops.push_back(*op);
  }
  return ops;
}

std::vector<Op> replay(const TraceSpec &trace) { return replay(*make_trace_source(trace)); }

// The ScenarioError a replay throws; fails the test if it throws none.
ScenarioError error_of(const TraceSpec &trace) {
  try {
    replay(trace);
  } catch (const ScenarioError &e) {
    return e;
  }
  ADD_FAILURE() << "no ScenarioError for " << trace.path;
  return ScenarioError("", "");
}

std::optional<OpSource::Issue> issue(const OpSource &source, const std::string &kind) {
  for (const OpSource::Issue &i : source.issues()) {
    if (i.kind == kind) return i;
  }
  return std::nullopt;
}

Op op(std::uint64_t time_ns, int cpu, Kind kind, unsigned order, model::gfp_t gfp, std::uint64_t tag, std::uint32_t cls,
      std::uint64_t line) {
  return Op{time_ns, cpu, kind, order, gfp, tag, cls, line};
}

void expect_ops(const std::vector<Op> &actual, const std::vector<Op> &expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE("op " + std::to_string(i));
    EXPECT_EQ(actual[i].time_ns, expected[i].time_ns);
    EXPECT_EQ(actual[i].cpu, expected[i].cpu);
    EXPECT_EQ(actual[i].kind, expected[i].kind);
    EXPECT_EQ(actual[i].order, expected[i].order);
    EXPECT_EQ(actual[i].gfp, expected[i].gfp) << model::format_gfp_flags(actual[i].gfp);
    EXPECT_EQ(actual[i].tag, expected[i].tag);
    EXPECT_EQ(actual[i].cls, expected[i].cls);
    EXPECT_EQ(actual[i].line, expected[i].line);
  }
}

constexpr model::gfp_t kKernel = model::gfp::KERNEL;
constexpr model::gfp_t kAtomicComp = model::gfp::ATOMIC | model::gfp::COMP;
constexpr model::gfp_t kUserZero = model::gfp::HIGHUSER_MOVABLE | model::gfp::ZERO;

// ---- compact CSV ------------------------------------------------------------

TEST(CsvTrace, ReplaysLinesAsOpsWithExactFields) {
  const fs::path path = write_trace(
      "# recorded on a test box\n"
      "time_ns,cpu,op,order,gfp,tag\n"
      "\n"
      "0,0,alloc,0,GFP_KERNEL,1\n"
      "1500,1,alloc,3,GFP_ATOMIC|__GFP_COMP,2\n"
      "1500,1,alloc,0,0xcc0,3\n"
      "  # a comment between data lines\n"
      "9000,0,free,,,1\n"
      "9500,2,free,3,GFP_ATOMIC|__GFP_COMP,2\n"
      "9700,1,free,,,3\n",
      ".csv");
  const auto source = make_trace_source(spec(TraceSpec::Format::Csv, path));
  expect_ops(replay(*source), {
                                  op(0, 0, Kind::Alloc, 0, kKernel, 1, 0, 4),
                                  op(1500, 1, Kind::Alloc, 3, kAtomicComp, 2, 1, 5),
                                  op(1500, 1, Kind::Alloc, 0, kKernel, 3, 0, 6),  // hex: same class as GFP_KERNEL
                                  op(9000, 0, Kind::Free, 0, kKernel, 1, 0, 8),   // order and gfp from the alloc
                                  op(9500, 2, Kind::Free, 3, kAtomicComp, 2, 1, 9),
                                  op(9700, 1, Kind::Free, 0, kKernel, 3, 0, 10),
                              });
  EXPECT_EQ(source->class_names(), (std::vector<std::string>{"GFP_KERNEL", "GFP_ATOMIC|__GFP_COMP"}));
  EXPECT_TRUE(source->issues().empty());
}

TEST(CsvTrace, TagCanBeReusedAfterItsFree) {
  const fs::path path = write_trace(
      "time_ns,cpu,op,order,gfp,tag\n"
      "10,0,alloc,1,GFP_KERNEL,5\n"
      "20,0,free,1,,5\n"
      "30,1,alloc,2,GFP_KERNEL,5\n"
      "40,1,free,,,5\n",
      ".csv");
  const std::vector<Op> ops = replay(spec(TraceSpec::Format::Csv, path));
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[3].order, 2u) << "the second free releases the second allocation";
}

TEST(CsvTrace, FreeOfAnAllocationTheSimulationFailedIsStillHandedOut) {
  const fs::path path = write_trace(
      "time_ns,cpu,op,order,gfp,tag\n"
      "10,0,alloc,9,GFP_KERNEL,1\n"
      "30,0,free,,,1\n",
      ".csv");
  const auto source = make_trace_source(spec(TraceSpec::Format::Csv, path));
  source->completed(*source->next(), false, 0, 0);  // tag 1 got no block in the simulation
  const std::optional<Op> free = source->next();
  ASSERT_TRUE(free.has_value()) << "the runner, which maps tags to pfns, decides";
  EXPECT_EQ(free->tag, 1u);
  EXPECT_TRUE(source->issues().empty());
}

TEST(CsvTrace, MissingFileNamesTheFile) {
  const fs::path path = fs::temp_directory_path() / "buddysim-no-such-trace.csv";
  const ScenarioError e = error_of(spec(TraceSpec::Format::Csv, path));
  EXPECT_EQ(e.where(), path.string());
  EXPECT_EQ(e.message(), "cannot open the trace file: No such file or directory");
}

// One bad line (or file) per row: the file, the line the error names (0: the
// file itself), the issue kind and the exact message.
struct BadTrace {
  const char *name;
  std::string text;
  std::uint64_t line;
  const char *kind;
  const char *message;
};

std::string where(const fs::path &path, std::uint64_t line) {
  return line == 0 ? path.string() : path.string() + ":" + std::to_string(line);
}

const std::string kCsvHeader = "time_ns,cpu,op,order,gfp,tag\n";

const std::vector<BadTrace> kBadCsv = {
    {"unknown op", kCsvHeader + "0,0,allocate,0,GFP_KERNEL,1\n", 2, "unknown op",
     "op: expected \"alloc\" or \"free\", found \"allocate\""},
    {"bad time", kCsvHeader + "1x,0,alloc,0,GFP_KERNEL,1\n", 2, "bad number",
     "time_ns: expected a non-negative integer, found \"1x\""},
    {"bad cpu", kCsvHeader + "0,-1,alloc,0,GFP_KERNEL,1\n", 2, "bad number",
     "cpu: expected an integer from 0 to 2147483647, found \"-1\""},
    {"bad order", kCsvHeader + "0,0,alloc,11,GFP_KERNEL,1\n", 2, "bad number",
     "order: expected an integer from 0 to 10, found \"11\""},
    {"bad tag", kCsvHeader + "0,0,alloc,0,GFP_KERNEL,0x10\n", 2, "bad number",
     "tag: expected a non-negative integer, found \"0x10\""},
    {"bad gfp", kCsvHeader + "0,0,alloc,0,GFP_KERNAL,1\n", 2, "bad gfp",
     "gfp: unknown GFP flag 'GFP_KERNAL' (did you mean 'GFP_KERNEL'?)"},
    {"wrong column count", kCsvHeader + "0,0,alloc,0,GFP_KERNEL\n", 2, "wrong column count",
     "expected 6 columns (time_ns,cpu,op,order,gfp,tag), found 5"},
    {"free of unknown tag", kCsvHeader + "0,0,alloc,0,GFP_KERNEL,1\n5,0,free,,,9\n", 3, "free of unknown tag",
     "free of tag 9, which no earlier line allocated"},
    {"double free", kCsvHeader + "0,0,alloc,0,GFP_KERNEL,7\n5,0,free,,,7\n6,0,free,,,7\n", 4, "double free",
     "free of tag 7, which line 3 already freed"},
    {"double alloc", kCsvHeader + "0,0,alloc,0,GFP_KERNEL,7\n5,0,alloc,0,GFP_KERNEL,7\n", 3, "double alloc",
     "alloc of tag 7, which is still live since line 2"},
    {"order mismatch", kCsvHeader + "0,0,alloc,2,GFP_KERNEL,7\n5,0,free,1,,7\n", 3, "order mismatch",
     "free of tag 7 with order 1, but line 2 allocated it with order 2"},
    {"time going backwards", kCsvHeader + "200,0,alloc,0,GFP_KERNEL,1\n150,0,alloc,0,GFP_KERNEL,2\n", 3,
     "time going backwards", "time_ns 150 is earlier than 200 at line 2; lines must be in time order"},
    {"missing header", "# no header\n0,0,alloc,0,GFP_KERNEL,1\n", 2, "missing header",
     "expected the header line \"time_ns,cpu,op,order,gfp,tag\", found \"0,0,alloc,0,GFP_KERNEL,1\""},
    {"empty file", "# only a comment\n", 0, "missing header",
     "expected the header line \"time_ns,cpu,op,order,gfp,tag\", found none"},
};

TEST(CsvTrace, StrictPolicyStopsAtTheFirstBadLineWithAnExactMessage) {
  for (const BadTrace &bad : kBadCsv) {
    SCOPED_TRACE(bad.name);
    const fs::path path = write_trace(bad.text, ".csv");
    const ScenarioError e = error_of(spec(TraceSpec::Format::Csv, path));
    EXPECT_EQ(e.where(), where(path, bad.line));
    EXPECT_EQ(e.message(), bad.message);
  }
}

TEST(CsvTrace, LenientPolicyCountsAndSkipsEachBadLine) {
  for (const BadTrace &bad : kBadCsv) {
    SCOPED_TRACE(bad.name);
    const fs::path path = write_trace(bad.text, ".csv");
    const auto source = make_trace_source(spec(TraceSpec::Format::Csv, path, TraceSpec::Policy::Lenient));
    EXPECT_NO_THROW(replay(*source));
    ASSERT_EQ(source->issues().size(), 1u);
    EXPECT_EQ(source->issues()[0].kind, bad.kind);
    EXPECT_EQ(source->issues()[0].count, 1u);
    EXPECT_EQ(source->issues()[0].first_where, where(path, bad.line));
  }
}

TEST(CsvTrace, LenientPolicyKeepsTheGoodLinesAndCountsRepeats) {
  const fs::path path = write_trace(kCsvHeader +
                                        "0,0,alloc,0,GFP_KERNEL,1\n"
                                        "1,0,malloc,0,GFP_KERNEL,2\n"
                                        "2,0,free,,,9\n"
                                        "3,0,mmap,0,GFP_KERNEL,3\n"
                                        "4,0,free,,,1\n",
                                    ".csv");
  const auto source = make_trace_source(spec(TraceSpec::Format::Csv, path, TraceSpec::Policy::Lenient));
  const std::vector<Op> ops = replay(*source);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].line, 6u);
  const auto unknown = issue(*source, "unknown op");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->count, 2u);
  EXPECT_EQ(unknown->first_where, path.string() + ":3");
  EXPECT_EQ(issue(*source, "free of unknown tag")->count, 1u);
}

// ---- ftrace text ------------------------------------------------------------

TEST(FtraceTrace, ReplaysKmemEventsAsOpsWithExactFields) {
  const fs::path path = write_trace(
      "cpus=4\n"
      "# tracer: nop\n"
      "            bash-1234  [003] ....  1234.567890: mm_page_alloc: page=0xffffea0004a8c000 pfn=0x12a30 order=0 "
      "migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO\n"
      "    kworker/u8:2-456   [000] .....  1234.567900: mm_page_alloc:        page=0xffffea00004a8e00 pfn=0x12a38 "
      "order=3 migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_COMP\n"
      "     Web Content-4410  [001] d..2.  1234.568000: mm_page_alloc_zone_locked: page=0xffffea00004a9000 "
      "pfn=0x12a40 order=0 migratetype=1 percpu_refill=1\n"
      "          <idle>-0     [001] d..2.  1234.568901: mm_page_free: page=0xffffea0004a8c000 pfn=0x12a30 order=0\n"
      "    kworker/u8:2-456   [000] .....  1234.569000123: mm_page_free:         page=0xffffea00004a8e00 "
      "pfn=0x12a38 order=3\n"
      "    kworker/u8:2-456   [000] ...1.  1234.569002: mm_page_free_batched: page=0xffffea00004a8e00 "
      "pfn=0x12a38 order=0\n");
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  expect_ops(replay(*source), {
                                  op(0, 3, Kind::Alloc, 0, kUserZero, 1, 0, 3),
                                  op(10'000, 0, Kind::Alloc, 3, kAtomicComp, 2, 1, 4),
                                  op(1'011'000, 1, Kind::Free, 0, kUserZero, 1, 0, 6),
                                  op(1'110'123, 0, Kind::Free, 3, kAtomicComp, 2, 1, 7),
                              });
  EXPECT_EQ(source->class_names(),
            (std::vector<std::string>{"GFP_HIGHUSER_MOVABLE|__GFP_ZERO", "GFP_ATOMIC|__GFP_COMP"}));
  ASSERT_EQ(source->issues().size(), 1u) << "the batched twin of line 7 is no issue";
  EXPECT_EQ(source->issues()[0].kind, "ignored event mm_page_alloc_zone_locked");
  EXPECT_EQ(source->issues()[0].first_where, path.string() + ":5");
}

TEST(FtraceTrace, BatchedFreeBeforeItsTwinFreesOnceLikeKernelsBefore415) {
  const fs::path path = write_trace(
      "  a-1 [000] .... 1.000000: mm_page_alloc: page=ffffea0000000000 pfn=4096 order=0 migratetype=0 "
      "gfp_flags=GFP_KERNEL\n"
      "  a-1 [000] .... 1.000001: mm_page_free_batched: page=ffffea0000000000 pfn=4096 order=0 cold=0\n"
      "  a-1 [000] .... 1.000001: mm_page_free: page=ffffea0000000000 pfn=4096 order=0\n");
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  const std::vector<Op> ops = replay(*source);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].kind, Kind::Free);
  EXPECT_EQ(ops[1].line, 2u);
  EXPECT_TRUE(source->issues().empty());
}

TEST(FtraceTrace, BatchedFreeReleasesTheWholeFolioWhateverOrderItPrints) {
  const fs::path path = write_trace(
      "  a-1 [000] ..... 1.000000: mm_page_alloc: page=0x1 pfn=0x200 order=2 migratetype=1 "
      "gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP\n"
      "  a-1 [000] ..... 1.000002: mm_page_free_batched: page=0x1 pfn=0x200 order=0\n");
  const std::vector<Op> ops = replay(spec(TraceSpec::Format::Ftrace, path));
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].order, 2u);
}

TEST(FtraceTrace, FreesOfPagesAllocatedBeforeTheTraceAreCountedNotFatal) {
  const fs::path path = write_trace(
      "  kswapd0-97 [002] ..... 7.000001: mm_page_free: page=0x1 pfn=0x3000 order=0\n"
      "  kswapd0-97 [002] ..... 7.000001: mm_page_free: page=0x1 pfn=0x3001 order=0\n"
      "  kswapd0-97 [002] ...1. 7.000003: mm_page_free_batched: page=0x1 pfn=0x3000 order=0\n"
      "  kswapd0-97 [002] ...1. 7.000003: mm_page_free_batched: page=0x1 pfn=0x3001 order=0\n"
      "  cc1-6031 [001] ..... 7.000010: mm_page_free: page=0x1 pfn=0x5200 order=3\n");
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));  // strict
  EXPECT_TRUE(replay(*source).empty());
  const auto unmatched = issue(*source, "unmatched free");
  ASSERT_TRUE(unmatched.has_value());
  EXPECT_EQ(unmatched->count, 3u) << "once per page, not once per event";
  EXPECT_EQ(unmatched->first_where, path.string() + ":1");
}

TEST(FtraceTrace, FailedAllocationIsReplayedAsAnAttemptThatOwnsNoPfn) {
  const fs::path path = write_trace(
      "  cc1-6044 [003] d..1. 3.000000: mm_page_alloc: page=(nil) pfn=0x0 order=9 migratetype=1 "
      "gfp_flags=GFP_TRANSHUGE_LIGHT\n"
      "  cc1-6044 [003] d..1. 3.000005: mm_page_free: page=(nil) pfn=0x0 order=9\n");
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  expect_ops(replay(*source), {op(0, 3, Kind::Alloc, 9, model::gfp::TRANSHUGE_LIGHT, 1, 0, 1)});
  EXPECT_EQ(issue(*source, "unmatched free")->count, 1u);
}

TEST(FtraceTrace, ReadsPerfScriptLinesWithSystemNameAndPeriod) {
  const fs::path path = write_trace(
      "         swapper     0 [002] 12345.678901:          1 kmem:mm_page_alloc: page=0xffffea0000400000 "
      "pfn=0x10000 order=1 migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_COMP\n");
  expect_ops(replay(spec(TraceSpec::Format::Ftrace, path)), {op(0, 2, Kind::Alloc, 1, kAtomicComp, 1, 0, 1)});
}

TEST(FtraceTrace, LostEventsAreCounted) {
  const fs::path path = write_trace(
      "CPU:2 [LOST 57 EVENTS]\n"
      "CPU 0 is empty\n"
      "CPU:1 [LOST 3 EVENTS]\n");
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  EXPECT_TRUE(replay(*source).empty());
  const auto lost = issue(*source, "lost events");
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(lost->count, 60u);
  EXPECT_EQ(lost->first_where, path.string() + ":1");
}

TEST(FtraceTrace, GfpNamesOfOlderKernelsAreTranslatedAndCounted) {
  const fs::path path = write_trace(
      "  a-1 [000] 1.000000: mm_page_alloc: page=0x1 pfn=16 order=3 migratetype=0 "
      "gfp_flags=GFP_ATOMIC|GFP_NOWARN|GFP_NORETRY|GFP_COMP\n"
      "  a-1 [000] 1.000001: mm_page_alloc: page=0x1 pfn=32 order=3 migratetype=0 "
      "gfp_flags=GFP_KERNEL|__GFP_REPEAT|__GFP_NOTRACK\n");
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  const std::vector<Op> ops = replay(*source);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].gfp, model::gfp::ATOMIC | model::gfp::NOWARN | model::gfp::NORETRY | model::gfp::COMP);
  EXPECT_EQ(ops[1].gfp, model::gfp::KERNEL | model::gfp::RETRY_MAYFAIL);
  EXPECT_EQ(issue(*source, "legacy GFP name \"GFP_NOWARN\" translated")->first_where, path.string() + ":1");
  EXPECT_EQ(issue(*source, "legacy GFP name \"__GFP_NOTRACK\" translated")->count, 1u);
}

const std::vector<BadTrace> kBadFtrace = {
    {"malformed mm_page_alloc line",
     "            bash-1234  [003] ....  mm_page_alloc: page=0x1 pfn=0x12a30 order=0 migratetype=1 "
     "gfp_flags=GFP_KERNEL\n",
     1, "malformed event",
     "expected \"TASK-PID [CPU] FLAGS SECONDS.FRACTION: mm_page_alloc: FIELDS\", found \"bash-1234  [003] ....  "
     "mm_page_alloc: page=0x1 pfn=0x12a30 order=0 migratetype=1 gfp_flags=GFP_KERNEL\""},
    {"mm_page_alloc without gfp_flags",
     "  bash-1234  [003] ....  1.000000: mm_page_alloc: page=0x1 pfn=0x12a30 order=0 migratetype=1\n", 1,
     "malformed event", "mm_page_alloc: expected a gfp_flags= field, found none"},
    {"mm_page_free without pfn", "  bash-1234  [003] ....  1.000000: mm_page_free: page=0x1 order=0\n", 1,
     "malformed event", "mm_page_free: expected a pfn= field, found none"},
    {"bad pfn",
     "  bash-1234  [003] ....  1.000000: mm_page_alloc: page=0x1 pfn=0xzz order=0 migratetype=1 "
     "gfp_flags=GFP_KERNEL\n",
     1, "bad number", "mm_page_alloc: pfn: expected a hex (0x...) or decimal number, found \"0xzz\""},
    {"bad order", "  bash-1234  [003] ....  1.000000: mm_page_free: page=0x1 pfn=0x40 order=12\n", 1, "bad number",
     "mm_page_free: order: expected an integer from 0 to 10, found \"12\""},
    {"bad gfp",
     "  bash-1234  [003] ....  1.000000: mm_page_alloc: page=0x1 pfn=0x40 order=0 migratetype=0 "
     "gfp_flags=GFP_KERNAL\n",
     1, "bad gfp", "mm_page_alloc: gfp_flags: unknown GFP flag 'GFP_KERNAL' (did you mean 'GFP_KERNEL'?)"},
    {"order mismatch",
     "  a-1 [000] .... 10.000001: mm_page_alloc: page=0x1 pfn=0x100 order=2 migratetype=0 gfp_flags=GFP_KERNEL\n"
     "  a-1 [000] .... 10.000002: mm_page_free: page=0x1 pfn=0x100 order=0\n",
     2, "order mismatch", "mm_page_free of pfn 0x100 with order 0, but line 1 allocated it with order 2"},
    {"time going backwards",
     "  a-1 [000] .... 10.000002: mm_page_alloc: page=0x1 pfn=0x100 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
     "  b-2 [001] .... 10.000001: mm_page_alloc: page=0x1 pfn=0x200 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n",
     2, "time going backwards",
     "timestamp 10.000001 is earlier than 10.000002 at line 1; events must be in time order"},
};

TEST(FtraceTrace, StrictPolicyStopsAtTheFirstBadLineWithAnExactMessage) {
  for (const BadTrace &bad : kBadFtrace) {
    SCOPED_TRACE(bad.name);
    const fs::path path = write_trace(bad.text);
    const ScenarioError e = error_of(spec(TraceSpec::Format::Ftrace, path));
    EXPECT_EQ(e.where(), where(path, bad.line));
    EXPECT_EQ(e.message(), bad.message);
  }
}

TEST(FtraceTrace, LenientPolicyCountsAndSkipsEachBadLine) {
  for (const BadTrace &bad : kBadFtrace) {
    SCOPED_TRACE(bad.name);
    const fs::path path = write_trace(bad.text);
    const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path, TraceSpec::Policy::Lenient));
    EXPECT_NO_THROW(replay(*source));
    ASSERT_EQ(source->issues().size(), 1u);
    EXPECT_EQ(source->issues()[0].kind, bad.kind);
    EXPECT_EQ(source->issues()[0].count, 1u);
    EXPECT_EQ(source->issues()[0].first_where, where(path, bad.line));
  }
}

// ---- real excerpts (tests/data/traces/SOURCES.md) ----------------------------

TEST(FtraceRealExcerpt, TraceCmdReport6xWithHexGfpAndOtherKmemEvents) {
  const fs::path path = kTraceData / "trace_cmd_report_6x_kmem.txt";
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  const model::gfp_t gfp = 0x152c4a;
  expect_ops(replay(*source), {
                                  op(0, 4, Kind::Alloc, 0, gfp, 1, 0, 1),
                                  op(4000, 4, Kind::Alloc, 0, gfp, 2, 0, 2),
                                  op(9000, 4, Kind::Alloc, 0, gfp, 3, 0, 4),
                                  op(12000, 4, Kind::Alloc, 0, gfp, 4, 0, 5),
                              });
  EXPECT_EQ(source->class_names(), (std::vector<std::string>{"GFP_NOFS|__GFP_HIGHMEM|__GFP_MOVABLE|__GFP_NOWARN|"
                                                             "__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL"}));
  EXPECT_EQ(issue(*source, "ignored event kmem_cache_alloc")->count, 2u);
  EXPECT_EQ(issue(*source, "ignored event kmalloc")->count, 6u);
}

TEST(FtraceRealExcerpt, Android414TraceWithAFailedAllocationPrintedAsNull) {
  const fs::path path = kTraceData / "trace_4.14_highatomic_failed_alloc.txt";
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  const std::vector<Op> ops = replay(*source);
  ASSERT_EQ(ops.size(), 9u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(ops[i].cpu, 6);
    EXPECT_EQ(ops[i].gfp, model::gfp::HIGHUSER | model::gfp::ZERO);
  }
  EXPECT_EQ(ops[7].time_ns, 13'000u);
  // "page= (null) pfn=0": the allocation that failed in the kernel.
  expect_ops({ops[8]},
             {op(15'000, 5, Kind::Alloc, 0, model::gfp::NOWAIT | model::gfp::HIGHMEM | model::gfp::MOVABLE, 9, 1, 9)});
  EXPECT_TRUE(source->issues().empty());
}

TEST(FtraceRealExcerpt, Trace518FreeOfAPageAllocatedBeforeTracing) {
  const fs::path path = kTraceData / "trace_5.18_folio_free_unmatched.txt";
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  EXPECT_TRUE(replay(*source).empty());
  EXPECT_EQ(issue(*source, "unmatched free")->first_where, path.string() + ":3");
  EXPECT_EQ(issue(*source, "ignored event iomap_finish_ioend")->count, 2u);
}

TEST(FtraceRealExcerpt, Trace2633WithoutIrqFlagsColumn) {
  const fs::path path = kTraceData / "trace_2.6.33_free_direct.txt";
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  expect_ops(replay(*source), {op(0, 0, Kind::Alloc, 0, kKernel, 1, 0, 4)});
  EXPECT_EQ(issue(*source, "ignored event mm_page_free_direct")->count, 4u);
}

TEST(FtraceRealExcerpt, Trace49WithStackTracesAndRemovedGfpNames) {
  const fs::path path = kTraceData / "trace_4.9_netperf_stacks.txt";
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  using namespace model::gfp;
  expect_ops(replay(*source),
             {
                 op(0, 32, Kind::Alloc, 3, KERNEL | NOWARN | RETRY_MAYFAIL | COMP | NOMEMALLOC, 1, 0, 1),
                 op(601'731'967'000, 47, Kind::Alloc, 2, IO | FS | NOWARN | RETRY_MAYFAIL | NORETRY | COMP | NOMEMALLOC,
                    2, 1, 19),
             });
  EXPECT_EQ(issue(*source, "legacy GFP name \"__GFP_REPEAT\" translated")->count, 2u);
  EXPECT_EQ(issue(*source, "legacy GFP name \"__GFP_NOTRACK\" translated")->count, 2u);
  EXPECT_EQ(source->issues().size(), 2u) << "stack-trace lines are no events";
}

TEST(FtraceRealExcerpt, PerfTrace26WithOldSingleBitNames) {
  const fs::path path = kTraceData / "perf_trace_2.6_atomic.txt";
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  using namespace model::gfp;
  expect_ops(replay(*source), {op(0, 2, Kind::Alloc, 3, ATOMIC | NOWARN | NORETRY | COMP, 1, 0, 1)});
  EXPECT_EQ(source->issues().size(), 3u);
}

// ---- the excerpt the shipped replay-ftrace scenario replays -----------------

TEST(FtraceShippedExcerpt, ReplaysStrictlyWithEveryFreeMatchingAnEarlierAlloc) {
  const fs::path path = fs::path(BUDDYSIM_SCENARIOS) / "traces" / "replay-ftrace.trace";
  const auto source = make_trace_source(spec(TraceSpec::Format::Ftrace, path));
  const std::vector<Op> ops = replay(*source);
  ASSERT_GE(ops.size(), 300u);
  EXPECT_EQ(ops.front().time_ns, 0u);
  std::set<std::uint64_t> live;
  std::set<unsigned> orders;
  std::set<int> cpus;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (i > 0) {
      EXPECT_GE(ops[i].time_ns, ops[i - 1].time_ns);
    }
    cpus.insert(ops[i].cpu);
    if (ops[i].kind == Kind::Alloc) {
      orders.insert(ops[i].order);
      live.insert(ops[i].tag);
    } else {
      EXPECT_EQ(live.erase(ops[i].tag), 1u) << "line " << ops[i].line;
    }
  }
  EXPECT_EQ(orders, (std::set<unsigned>{0, 1, 2, 3, 9}));
  EXPECT_EQ(cpus, (std::set<int>{0, 1, 2, 3}));
  EXPECT_GT(issue(*source, "unmatched free")->count, 0u) << "kswapd frees pages read before tracing began";
  EXPECT_GT(issue(*source, "ignored event mm_page_alloc_zone_locked")->count, 0u);
  for (const OpSource::Issue &i : source->issues()) {
    EXPECT_TRUE(i.kind == "unmatched free" || i.kind.starts_with("ignored event ")) << i.kind;
  }
}

}  // namespace
}  // namespace buddysim::workload
