// Everything a run writes into its results folder: counters per order, class
// and allocation path, the optional per-operation log, the timeseries, the
// /proc snapshots and the summary. Deterministic: nothing here depends on
// wall-clock time or on unordered iteration.
#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "model/page_alloc.h"
#include "sim/record/alloc_paths.h"
#include "sim/record/latency_histogram.h"
#include "sim/record/results_dir.h"
#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::record {

struct HardwareReport;  // sim/record/hardware_report.h

struct OrderCounts {
  unsigned long allocs = 0, failures = 0, frees = 0;
};

struct ClassCounts {
  unsigned long allocs = 0, failures = 0, pages = 0;
  model::gfp_t gfp = 0;
};

class Recorder {
 public:
  Recorder(const scenario::Scenario &scenario, const model::PageAllocator &alloc, ResultsDir &dir);

  void on_alloc(const workload::Op &op, const model::AllocResult &res);
  // matched: false when the free refers to an allocation that failed in the
  // simulation or that the workload never made (skipped, not applied).
  void on_free(const workload::Op &op, bool matched);
  // An operation has returned: its ops.csv row and, in timed runs, how long
  // it took from its timestamp to its return (queueing behind the CPU's
  // earlier work included). `res` is the allocation's result, or for a free
  // the block released; ok is false for a failed allocation or skipped free.
  void on_complete(const workload::Op &op, const model::AllocResult &res, bool ok,
                   std::optional<std::uint64_t> latency_ns);
  // A timeseries row per zone and a numbered /proc snapshot at time_ns.
  void sample(std::uint64_t time_ns);
  // Final /proc files and summary.json; class_names index Op::cls (a trace
  // source learns its classes while it is read, so they come at the end).
  // A timed run adds the hardware's figures.
  void finish(std::uint64_t end_ns, const std::vector<std::string> &class_names,
              const std::vector<workload::OpSource::Issue> &issues, const HardwareReport *hardware = nullptr);

  unsigned long operations() const { return seq_; }
  unsigned long failures() const { return failures_; }

 private:
  void timeseries_row(std::uint64_t time_ns);
  void write_proc(const std::string &folder) const;
  std::string summary_json(std::uint64_t end_ns, const std::vector<std::string> &class_names,
                           const std::vector<workload::OpSource::Issue> &issues,
                           const HardwareReport *hardware) const;
  void add_latency(const workload::Op &op, const model::AllocResult &res, std::uint64_t ns);

  const scenario::Scenario &scenario_;
  const model::PageAllocator &alloc_;
  ResultsDir &dir_;
  std::ofstream ops_;
  std::ofstream timeseries_;
  std::array<OrderCounts, model::NR_PAGE_ORDERS> by_order_{};
  std::vector<ClassCounts> by_class_;
  std::array<unsigned long, PATH_NAMES.size()> paths_{};
  struct Latencies {
    std::array<LatencyHistogram, model::NR_PAGE_ORDERS> alloc_by_order, free_by_order;
    std::array<LatencyHistogram, PATH_NAMES.size()> alloc_by_path;  // by the costliest path taken
    std::vector<LatencyHistogram> by_cpu, by_node;
    LatencyHistogram alloc, free;
  };
  Latencies latency_;
  bool timed_ = false;
  unsigned long seq_ = 0, logged_ = 0, failures_ = 0, unmatched_frees_ = 0, live_pages_ = 0;
  unsigned snapshots_ = 0;
};

}  // namespace buddysim::record
