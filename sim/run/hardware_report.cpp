#include "sim/run/hardware_report.h"

#include "sim/hw/dram/dram_stats_json.h"
#include "sim/hw/lock/lock_stat.h"

namespace buddysim::run {

using Json = nlohmann::ordered_json;

namespace {

double ns_of(const sc_core::sc_time &t) { return t.to_seconds() * 1e9; }
double ns_of_ps(hw::Ps ps) { return static_cast<double>(ps) / 1e3; }
double share(double part, std::uint64_t whole) { return whole ? part / static_cast<double>(whole) : 0.0; }

Json cpus_json(const std::vector<const hw::Cpu *> &cpus, const hw::Directory &dir, std::uint64_t end_ns) {
  Json out = Json::array();
  for (const hw::Cpu *cpu : cpus) {
    const hw::CpuStats &s = cpu->stats();
    out.push_back({{"cpu", cpu->id()},
                   {"node", dir.socket_of(cpu->id())},
                   {"busy_ns", ns_of(s.busy)},
                   {"busy_share", share(ns_of(s.busy), end_ns)},
                   {"work_ns", ns_of(s.work)},
                   {"memory_stall_ns", ns_of(s.memory_stall)},
                   {"spinning_ns", ns_of(s.spinning)},
                   {"spinning_share", share(ns_of(s.spinning), end_ns)},
                   {"touches", s.touches}});
  }
  return out;
}

Json times_json(const hw::TimeFigures &t) {
  return {{"min", t.min_ns}, {"max", t.max_ns}, {"total", t.total_ns}, {"avg", t.avg_ns}};
}

Json points_json(const std::vector<hw::PointFigures> &points) {
  Json out = Json::array();
  for (const hw::PointFigures &p : points) out.push_back({{"site", p.site}, {"count", p.count}});
  return out;
}

Json lock_json(const hw::LockFigures &f) {
  Json j = {{"class", f.class_name}};
  if (!f.instance.empty()) j["instance"] = f.instance;
  else j["instances"] = f.instances;
  j.update({{"acquisitions", f.acquisitions},
            {"contentions", f.contentions},
            {"contention_share", share(static_cast<double>(f.contentions), f.acquisitions)},
            {"con_bounces", f.con_bounces},
            {"acq_bounces", f.acq_bounces},
            {"waittime_ns", times_json(f.waittime)},
            {"holdtime_ns", times_json(f.holdtime)},
            {"trylock_acquisitions", f.trylock_acquisitions},
            {"trylock_failures", f.trylock_failures},
            {"line_transfers", f.line_transfers},
            {"transfer_time_ns", f.transfer_time_ns},
            {"wait_histogram_log2_ns", f.wait_histogram},
            {"contention_points", points_json(f.contention_points)},
            {"contending_points", points_json(f.contending_points)}});
  return j;
}

// Every class, every zone lock, and the pcp locks that ever had to wait or
// failed a trylock (an uncontended pcp lock per CPU and zone adds nothing
// the class row does not say).
Json locks_json(const std::vector<hw::LockInstanceStats> &snapshot) {
  Json classes = Json::array(), instances = Json::array();
  for (const hw::LockFigures &f : hw::lock_class_figures(snapshot)) classes.push_back(lock_json(f));
  for (const hw::LockFigures &f : hw::lock_instance_figures(snapshot))
    if (f.class_name != "&pcp->lock" || f.contentions || f.trylock_failures) instances.push_back(lock_json(f));
  return {{"classes", classes}, {"instances", instances}};
}

Json dram_json(const hw::MemorySystem &memory, int nodes, std::uint64_t end_ns) {
  Json out = Json::array();
  for (int n = 0; n < nodes; ++n) {
    const hw::DramController &dram = memory.dram(n);
    const hw::DramStats stats = dram.stats();
    // Bandwidth over the whole run, not just until the last burst.
    const auto cycles = static_cast<hw::Cycle>(static_cast<double>(end_ns) * 1e3 / dram.config().tCK_ps);
    Json node = {{"node", n}, {"preset", dram.config().preset}};
    node.update(hw::dram_stats_json(stats.total(), dram.config(), cycles));
    node["channels"] = Json::array();
    for (const hw::DramChannelStats &c : stats.channels)
      node["channels"].push_back(hw::dram_stats_json(c, dram.config(), cycles));
    out.push_back(node);
  }
  return out;
}

Json links_json(const hw::Interconnect &net, std::uint64_t end_ns) {
  Json out = Json::array();
  for (std::size_t i = 0; i < net.links().size(); ++i) {
    const hw::Link &l = net.links()[i];
    const hw::LinkStats &s = net.link_stats(static_cast<int>(i));
    out.push_back({{"from", l.src},
                   {"to", l.dst},
                   {"transfers", s.transfers},
                   {"bytes", s.bytes},
                   {"busy_share", share(ns_of_ps(s.busy_ps), end_ns)},
                   {"avg_queue_delay_ns", s.transfers ? ns_of_ps(s.queue_delay_ps) / static_cast<double>(s.transfers) : 0.0},
                   {"max_queue_delay_ns", ns_of_ps(s.max_queue_delay_ps)}});
  }
  return out;
}

}  // namespace

record::HardwareReport make_hardware_report(const hw::MemorySystem &memory, const hw::LockTable &locks,
                                            const std::vector<const hw::Cpu *> &cpus, std::uint64_t end_ns) {
  const std::vector<hw::LockInstanceStats> snapshot = locks.snapshot();
  record::HardwareReport r;
  r.lock_stat = hw::render_lock_stat(snapshot);
  const hw::MemoryStats &m = memory.stats();
  const auto nodes = static_cast<int>(memory.config().interconnect.distance.size());
  r.summary = {{"cpus", cpus_json(cpus, memory.directory(), end_ns)},
               {"locks", locks_json(snapshot)},
               {"dram", dram_json(memory, nodes, end_ns)},
               {"interconnect", links_json(memory.interconnect(), end_ns)},
               {"memory", {{"dram_reads", m.dram_reads},
                           {"dram_writes", m.dram_writes},
                           {"avg_dram_service_ns",
                            m.dram_reads + m.dram_writes
                                ? ns_of_ps(m.dram_time_ps) / static_cast<double>(m.dram_reads + m.dram_writes)
                                : 0.0}}}};
  return r;
}

}  // namespace buddysim::run
