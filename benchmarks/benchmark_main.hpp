// SPDX-License-Identifier: Apache-2.0
// Shared main() for the benchmarks: runs them, then prints each case's ratio to its baseline.
#ifndef KINESIS_BENCHMARKS_BENCHMARK_MAIN_HPP
#define KINESIS_BENCHMARKS_BENCHMARK_MAIN_HPP

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kinesis_bench {

/// Pairs of benchmark names (without the "/arg" suffix): the case, then its baseline.
/// A benchmark registered as "sha256/kinesis/256" pairs with "sha256/openssl/256".
struct Pair {
    std::string subject;   ///< e.g. "sha256/kinesis"
    std::string baseline;  ///< e.g. "sha256/openssl"
};

/// Collects per-iteration times while the console reporter prints as usual.
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const auto& run : runs) {
            if (run.error_occurred) continue;
            // With --benchmark_repetitions the median stands for the case; otherwise the one run.
            if (run.run_type == Run::RT_Iteration && medians_.count(run.run_name.str()) == 0) {
                times_[run.run_name.str()] = nanoseconds(run);
            } else if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
                medians_.insert(run.run_name.str());
                times_[run.run_name.str()] = nanoseconds(run);
            }
        }
        ConsoleReporter::ReportRuns(runs);
    }

    void print_ratios(const std::vector<Pair>& pairs) const {
        fmt::print("\n{:<44} {:>12} {:>12} {:>8}\n", "case (time per op)", "ns", "baseline ns", "ratio");
        for (const auto& [name, time] : times_) {
            for (const auto& pair : pairs) {
                if (name.rfind(pair.subject, 0) != 0) continue;
                const std::string suffix = name.substr(pair.subject.size());
                if (!suffix.empty() && suffix[0] != '/') continue;
                const auto base = times_.find(pair.baseline + suffix);
                if (base == times_.end() || base->second <= 0) continue;
                fmt::print("{:<44} {:>12.1f} {:>12.1f} {:>7.2f}x\n", name, time, base->second, time / base->second);
            }
        }
    }

private:
    // Cases report in their own unit (->Unit(kMicrosecond)); the table is in ns throughout.
    static double nanoseconds(const Run& run) {
        return run.GetAdjustedCPUTime() * 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
    }

    std::map<std::string, double> times_;
    std::set<std::string> medians_;  // adjusted CPU time per iteration (steadier than wall time on a shared machine)
};

inline int run(int argc, char** argv, const std::vector<Pair>& pairs) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_ratios(pairs);
    benchmark::Shutdown();
    return 0;
}

}  // namespace kinesis_bench

#endif  // KINESIS_BENCHMARKS_BENCHMARK_MAIN_HPP
