// SPDX-License-Identifier: Apache-2.0
// The frame every example's main() shares: --help, usage errors, and a client that cannot start.
#ifndef KINESIS_EXAMPLES_COMMON_MAIN_HPP
#define KINESIS_EXAMPLES_COMMON_MAIN_HPP

#include "flags.hpp"
#include "output.hpp"
#include "stop_signal.hpp"

#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>

#include <fmt/core.h>

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace examples {

/// The exit status of a bad command line.
inline constexpr int exit_usage = 2;

/// What run_main() needs to know about the program.
struct Program {
    std::string_view name;           ///< prefixes every message: "<name>: <error>"
    std::string usage;               ///< printed for --help, and after a usage error
    std::string_view default_region; ///< client_config()'s fallback; empty: none
    std::set<std::string, std::less<>> switches = {};  ///< flags without a value (--help is one always)
};

/// Runs an example. `--help` prints the usage (status 0); otherwise
/// `read(flags)` reads the program's own flags, and a UsageError from it, a
/// positional argument or a flag nobody read prints "<name>: <error>" and the
/// usage (status 2). Then `run(config)`, given client_config()'s settings
/// and stop_token(),
/// returns the exit status; a kinesis::Exception from it (a configuration a
/// client cannot start with) prints "<name>: <error>" (status 1).
template <typename Read, typename Run>
int run_main(int argc, char** argv, Program program, Read&& read, Run&& run) {
    kinesis::ClientConfig config;
    try {
        program.switches.emplace("help");
        Flags flags(argc, argv, 1, std::move(program.switches));
        if (flags.has("help")) {
            fmt::print("{}", program.usage);
            return 0;
        }
        std::invoke(std::forward<Read>(read), flags);
        config = client_config(flags, program.default_region);
        // A stop signal (for the examples that catch one) ends every wait at once.
        config.stop = stop_token();
        if (!flags.positional().empty()) throw UsageError("unexpected argument " + flags.positional()[0]);
        flags.finish();
    } catch (const UsageError& e) {
        fmt::print(stderr, "{}: {}\n{}", program.name, e.what(), program.usage);
        return exit_usage;
    }
    try {
        return std::invoke(std::forward<Run>(run), std::as_const(config));
    } catch (const kinesis::Exception& e) {
        return fail(program.name, e.error());
    }
}

}  // namespace examples

#endif  // KINESIS_EXAMPLES_COMMON_MAIN_HPP
