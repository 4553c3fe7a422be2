// The buddysim command line: run, validate and show-config scenarios.
// Exit codes: 0 success, 1 simulation error, 2 bad input or usage.
#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "default_scenario.h"
#include "sim/hw/dram/dram_command.h"
#include "sim/record/recorder.h"
#include "sim/record/results_dir.h"
#include "sim/run/functional_runner.h"
#include "sim/run/timed_runner.h"
#include "sim/scenario/scenario_error.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/workload/generator.h"
#include "sim/workload/trace_source.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace buddysim;

namespace {

constexpr const char *USAGE =
    "usage: buddysim run [SCENARIO.json] [-o DIR] [--set key.path=value]... [--seed N] [--functional] [--quiet]\n"
    "       buddysim validate SCENARIO.json [--set key.path=value]...\n"
    "       buddysim show-config [SCENARIO.json] [--set key.path=value]... [--seed N]\n"
    "       buddysim dram TRACE [--set dram.key=value]... [-o OUT.json]   (DRAMsim3 trace through one node's DRAM)\n"
    "       buddysim --help | --version\n"
    "Without SCENARIO.json, run and show-config use the embedded default scenario.\n";

struct Args {
  std::string command;
  std::optional<fs::path> scenario;
  std::optional<fs::path> out;
  std::vector<std::string> sets;
  std::optional<std::uint64_t> seed;
  bool quiet = false;
  bool functional = false;
};

po::options_description options() {
  po::options_description o("options");
  o.add_options()("help,h", "show this help")("version", "show the version")(
      "output,o", po::value<std::string>(), "results folder (default results/<name>-<seed>)")(
      "set", po::value<std::vector<std::string>>(), "override a scenario value, e.g. machine.nodes[1].cpus=8")(
      "seed", po::value<std::uint64_t>(), "override the scenario's seed")(
      "functional", "apply operations in timestamp order without the hardware model (no timing figures)")(
      "quiet,q", "no progress display and no closing summary")(
      "command", po::value<std::string>(), "run | validate | show-config")("scenario", po::value<std::string>(),
                                                                            "scenario file");
  return o;
}

// Returns nullopt after printing help or version.
std::optional<Args> parse_args(int argc, char **argv) {
  const po::options_description desc = options();
  po::positional_options_description pos;
  pos.add("command", 1).add("scenario", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << USAGE << '\n' << desc;
    return std::nullopt;
  }
  if (vm.count("version")) {
    std::cout << "buddysim " << BUDDYSIM_VERSION << " (Linux 6.18 page allocator model)\n";
    return std::nullopt;
  }
  Args a;
  if (!vm.count("command")) throw po::error("missing command (run, validate or show-config)");
  a.command = vm["command"].as<std::string>();
  if (a.command != "run" && a.command != "validate" && a.command != "show-config")
    throw po::error("unknown command '" + a.command + "' (expected run, validate or show-config)");
  if (vm.count("scenario")) a.scenario = vm["scenario"].as<std::string>();
  if (a.command == "validate" && !a.scenario) throw po::error("validate needs a scenario file");
  if (vm.count("output")) a.out = vm["output"].as<std::string>();
  if (vm.count("set")) a.sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) a.seed = vm["seed"].as<std::uint64_t>();
  a.quiet = vm.count("quiet");
  a.functional = vm.count("functional");
  return a;
}

scenario::Scenario load(const Args &a) {
  std::vector<std::string> sets = a.sets;
  if (a.seed) sets.push_back("seed=" + std::to_string(*a.seed));
  if (a.scenario) return scenario::parse_scenario_file(*a.scenario, sets);
  // The embedded default resolves relative paths against the shipped scenarios folder.
  return scenario::parse_scenario_text(DEFAULT_SCENARIO_JSON, fs::path("scenarios") / "default.json", sets);
}

// One line on stderr, rewritten in place, for runs longer than a second.
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::uint64_t end_ns) : enabled_(enabled), end_ns_(end_ns) {}
  void update(std::uint64_t sim_ns, unsigned long ops) {
    if (!enabled_) return;
    const double elapsed = seconds_since(start_);
    if (elapsed < 1.0 || seconds_since(last_) < 0.25) return;
    last_ = std::chrono::steady_clock::now();
    std::fprintf(stderr, "\r[sim %.3f s] %.2f M ops, %.2f M ops/s", static_cast<double>(sim_ns) / 1e9,
                 static_cast<double>(ops) / 1e6, static_cast<double>(ops) / elapsed / 1e6);
    if (end_ns_ && sim_ns)
      std::fprintf(stderr, ", ETA %.0f s   ",
                   elapsed * static_cast<double>(end_ns_ - std::min(end_ns_, sim_ns)) / static_cast<double>(sim_ns));
    shown_ = true;
  }
  void finish() const {
    if (shown_) std::fputc('\n', stderr);
  }

 private:
  static double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  }
  bool enabled_;
  std::uint64_t end_ns_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

std::uint64_t workload_end_ns(const scenario::Scenario &s) {
  std::uint64_t end = 0;
  for (const auto &p : s.workload.phases) end = std::max(end, p.start_ns + p.duration_ns);
  return end;
}

// Processor time (user + system) of this process: on a shared, busy host
// it varies far less than wall-clock time, so speed comparisons use it.
double host_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto secs = [](const timeval &t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

std::string run_info_json(double host_seconds, double cpu_seconds, unsigned long ops, std::uint64_t sim_ns) {
  char buf[640];
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  const auto per = [](double n, double secs) { return n / std::max(secs, 1e-9); };
  std::snprintf(buf, sizeof buf,
                "{\n  \"buddysim_version\": \"%s\",\n  \"finished_at\": \"%s\",\n  \"host_seconds\": %.3f,\n"
                "  \"host_cpu_seconds\": %.3f,\n  \"operations_per_host_second\": %.0f,\n"
                "  \"operations_per_host_cpu_second\": %.0f,\n  \"simulated_seconds_per_host_second\": %.6f\n}\n",
                BUDDYSIM_VERSION, stamp, host_seconds, cpu_seconds, per(static_cast<double>(ops), host_seconds),
                per(static_cast<double>(ops), cpu_seconds), per(static_cast<double>(sim_ns) / 1e9, host_seconds));
  return buf;
}

int run_scenario(const Args &a, const scenario::Scenario &s) {
  if (a.functional && (s.record.perfetto || s.record.vcd))
    throw po::error("record.trace and record.vcd need simulated time: drop --functional, or set record.trace=none "
                    "and record.vcd=false");
  const fs::path out = a.out ? *a.out : fs::path("results") / (s.name + "-" + std::to_string(s.seed));
  record::ResultsDir dir(out);
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = host_cpu_seconds();
  model::PageAllocator alloc(s.machine, s.allocator);
  auto source = s.workload.trace ? workload::make_trace_source(*s.workload.trace) : workload::make_generator(s);
  dir.write("config.json", scenario::effective_config_json(s));
  record::Recorder recorder(s, alloc, dir);
  ProgressLine progress(!a.quiet && isatty(STDERR_FILENO), workload_end_ns(s));
  const auto show = [&](std::uint64_t sim_ns, unsigned long ops) { progress.update(sim_ns, ops); };
  std::uint64_t end_ns;
  try {
    end_ns = a.functional ? run::FunctionalRunner(s, alloc, *source, recorder).run(show)
                          : run::TimedRunner(s, alloc, *source, recorder).run(show);
  } catch (...) {
    progress.finish();
    // What was written so far stays for inspection, under a name that does not look complete.
    std::fprintf(stderr, "buddysim: the output written so far is in %s\n", dir.work_path().string().c_str());
    throw;
  }
  progress.finish();
  const double host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  dir.write("run-info.json", run_info_json(host_seconds, host_cpu_seconds() - cpu0, recorder.operations(), end_ns));
  dir.commit();
  if (!a.quiet)
    std::printf(
        "buddysim: %s (seed %llu, %s): %lu operations, %lu failed allocations, %.3f simulated s in %.2f host s\n"
        "results in %s/: summary.json (counts per order, class and path%s), proc/ (buddyinfo, pagetypeinfo, "
        "zoneinfo, vmstat, extfrag_index, unusable_index%s at the end), timeseries.csv\n",
        s.name.c_str(), static_cast<unsigned long long>(s.seed), a.functional ? "functional" : "timed",
        recorder.operations(), recorder.failures(), static_cast<double>(end_ns) / 1e9, host_seconds,
        out.string().c_str(), a.functional ? "" : "; latency, lock, DRAM, link and CPU figures",
        a.functional ? "" : ", lock_stat");
  return 0;
}

}  // namespace

// libsystemc.so references sc_main, but buddysim's own main() comes first
// and a timed run elaborates and calls sc_start() itself: never entered.
int sc_main(int, char *[]) {
  std::fputs("buddysim: sc_main is not used\n", stderr);
  return 1;
}

int main(int argc, char **argv) {
  // SystemC prints its banner on stdout when the first module is built.
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  // `buddysim dram` takes dram.key=value settings of its own: route it before Boost parses.
  if (argc > 1 && std::string(argv[1]) == "dram")
    return hw::run_dram_command(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
  try {
    const std::optional<Args> args = parse_args(argc, argv);
    if (!args) return 0;
    const scenario::Scenario s = load(*args);
    if (args->command == "validate") {
      if (!args->quiet) std::printf("%s: ok\n", args->scenario->string().c_str());
      return 0;
    }
    if (args->command == "show-config") {
      std::fputs(scenario::effective_config_json(s).c_str(), stdout);
      return 0;
    }
    return run_scenario(*args, s);
  } catch (const po::error &e) {
    std::fprintf(stderr, "buddysim: %s\n%s", e.what(), USAGE);
    return 2;
  } catch (const scenario::ScenarioError &e) {
    std::fprintf(stderr, "buddysim: error: %s\n", e.what());
    return 2;
  } catch (const std::invalid_argument &e) {  // a machine the allocator cannot boot
    std::fprintf(stderr, "buddysim: error: %s\n", e.what());
    return 2;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "buddysim: simulation error: %s\n", e.what());
    return 1;
  }
}
