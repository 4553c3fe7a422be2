// The DRAM command's arguments and output file; the JSON lives in
// dram_stats_json.cpp.
#include "sim/hw/dram/dram_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "sim/hw/dram/dram_controller.h"
#include "sim/hw/dram/dram_stats_json.h"
#include "sim/hw/dram/dram_trace.h"

namespace buddysim::hw {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitWriteFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kJsonIndent = 2;

// Keys in the order written here: what ran, then the figures.
using Json = nlohmann::ordered_json;

constexpr const char *kUsage =
    "usage: buddysim dram TRACE [--set dram.KEY=VALUE]... [-o OUT.json]\n"
    "Runs a DRAMsim3-format trace (one '0xADDRESS READ|WRITE CYCLE' a line, cycles in\n"
    "memory clocks) through one node's memory and writes JSON statistics to OUT.json\n"
    "(standard output without -o). The memory is the DDR4-3200 preset unless\n"
    "--set dram.preset=DDR4-2400|DDR4-3200|DDR5-4800; every parameter is in docs/dram.md.\n";

struct Args {
  std::string trace;
  std::vector<std::string> sets;
  std::optional<std::string> output;
  bool help = false;
};

// Takes an option's value from "--opt=VALUE" or from the next argument.
std::string option_value(const std::vector<std::string> &args, std::size_t &i, std::string_view name) {
  const std::string &arg = args[i];
  if (arg.size() > name.size() && arg[name.size()] == '=') return arg.substr(name.size() + 1);
  if (i + 1 == args.size()) throw std::invalid_argument(std::string(name) + " needs a value");
  return args[++i];
}

bool is_option(const std::string &arg, std::string_view name) {
  return arg == name || (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=');
}

Args parse_args(const std::vector<std::string> &args) {
  Args a;
  bool have_trace = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (arg == "-h" || arg == "--help") {
      a.help = true;
    } else if (is_option(arg, "--set")) {
      a.sets.push_back(option_value(args, i, "--set"));
    } else if (is_option(arg, "-o") || is_option(arg, "--output")) {
      a.output = option_value(args, i, arg.starts_with("--") ? "--output" : "-o");
    } else if (arg.starts_with("-") && arg != "-") {
      throw std::invalid_argument("unknown option '" + arg + "'");
    } else if (have_trace) {
      throw std::invalid_argument("expected one trace file, found a second: '" + arg + "'");
    } else {
      a.trace = arg, have_trace = true;
    }
  }
  if (!have_trace && !a.help) throw std::invalid_argument("missing TRACE");
  return a;
}

Json run_json(const DramTraceRun &run, const std::string &trace) {
  const Cycle cycles = run.stats.simulated_cycles();
  Json j = {
      {"trace", trace},
      {"preset", run.config.preset},
      {"simulated_cycles", cycles},
      {"simulated_ns", run.config.ns(static_cast<double>(cycles))},
      {"host_seconds", run.host_seconds},
      {"peak_bandwidth_gbps", run.config.peak_bandwidth_gbps()},
  };
  j.update(dram_stats_json(run.stats.total(), run.config, cycles));
  j["channels"] = Json::array();
  for (const DramChannelStats &c : run.stats.channels) j["channels"].push_back(dram_stats_json(c, run.config, cycles));
  j["config"] = dram_config_json(run.config);
  return j;
}

// Written next to the target and renamed, so a reader never sees half a file.
bool write_atomically(const std::string &path, const std::string &text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!(file << text) || !file.flush()) return false;
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  return !ec;
}

}  // namespace

DramConfig dram_config_from_sets(const std::vector<std::string> &sets) {
  constexpr std::string_view kPrefix = "dram.";
  DramConfig config;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string &set : sets) {
    const std::size_t eq = set.find('=');
    if (!set.starts_with(kPrefix) || eq == std::string::npos)
      throw std::invalid_argument("--set: expected dram.KEY=VALUE, found '" + set + "'");
    pairs.emplace_back(set.substr(0, eq), set.substr(eq + 1));
  }
  // The preset resets every parameter, so it goes first wherever it appears.
  for (const auto &[key, value] : pairs)
    if (key == "dram.preset") config.set(key, value);
  for (const auto &[key, value] : pairs)
    if (key != "dram.preset") config.set(key, value);
  config.validate();
  return config;
}

DramTraceRun run_dram_trace(const DramConfig &config, const std::string &path) {
  std::ifstream file(path);
  if (!file) throw std::invalid_argument(path + ": cannot open the trace");
  DramTraceReader reader(file, path);
  DramController controller(config);
  const auto start = std::chrono::steady_clock::now();
  DramRequest request;
  while (reader.next(request)) {
    // Everything due before this arrival can be decided: no earlier request
    // is still to come.
    controller.advance(request.arrival_cycle - 1);
    controller.submit(request);
  }
  controller.drain();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return DramTraceRun{config, controller.stats(), elapsed.count()};
}

int run_dram_command(const std::vector<std::string> &args, std::ostream &out, std::ostream &err) {
  Args a;
  DramTraceRun run;
  try {
    a = parse_args(args);
    if (a.help) {
      out << kUsage;
      return kExitOk;
    }
    run = run_dram_trace(dram_config_from_sets(a.sets), a.trace);
  } catch (const std::invalid_argument &e) {
    err << "buddysim dram: " << e.what() << '\n';
    if (!a.help && a.trace.empty()) err << kUsage;
    return kExitBadInput;
  }
  const std::string text = run_json(run, a.trace).dump(kJsonIndent) + "\n";
  if (!a.output) {
    out << text;
    return kExitOk;
  }
  if (!write_atomically(*a.output, text)) {
    err << "buddysim dram: cannot write '" << *a.output << "'\n";
    return kExitWriteFailed;
  }
  const DramChannelStats total = run.stats.total();
  out << total.requests() << " requests, read latency " << run.config.ns(total.avg_read_latency()) << " ns, "
      << total.bandwidth_gbps(run.config, run.stats.simulated_cycles()) << " GB/s -> " << *a.output << '\n';
  return kExitOk;
}

}  // namespace buddysim::hw
