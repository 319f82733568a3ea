// SPDX-License-Identifier: Apache-2.0
// Command-line flags for the example binaries, and the client settings every example shares.
#ifndef KINESIS_EXAMPLES_COMMON_FLAGS_HPP
#define KINESIS_EXAMPLES_COMMON_FLAGS_HPP

#include <kinesis/core/config.hpp>

#include <fmt/core.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace examples {

/// Bad usage: main prints it with the usage text and exits with the usage status.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// `--name value` and `--name=value` flags, as the AWS CLI takes them. A
/// switch (`--help`) takes no value; a list flag (`--tag-keys a b c`) takes
/// every argument up to the next `--flag`. Every flag a program reads is
/// marked, so `finish()` can reject the ones nobody asked for (a typo must not
/// silently fall back to a default).
class Flags {
public:
    Flags(int argc, char** argv, int first, std::set<std::string, std::less<>> switches = {},
          std::set<std::string, std::less<>> lists = {}) {
        for (int i = first; i < argc; ++i) {
            std::string_view arg = argv[i];
            if (arg.size() < 3 || arg.substr(0, 2) != "--") {
                positional_.emplace_back(arg);
                continue;
            }
            std::string name(arg.substr(2));
            std::vector<std::string> values;
            if (const auto eq = name.find('='); eq != std::string::npos) {
                values.push_back(name.substr(eq + 1));
                name.resize(eq);
            } else if (switches.count(name) != 0) {
                values.emplace_back("true");
            } else if (lists.count(name) != 0) {
                while (i + 1 < argc && std::string_view(argv[i + 1]).substr(0, 2) != "--") values.emplace_back(argv[++i]);
                if (values.empty()) throw UsageError(fmt::format("--{} needs at least one value", name));
            } else {
                if (i + 1 >= argc) throw UsageError(fmt::format("--{} needs a value", name));
                values.emplace_back(argv[++i]);
            }
            if (values_.count(name) != 0) throw UsageError(fmt::format("--{} is given twice", name));
            values_.emplace(std::move(name), std::move(values));
        }
    }

    /// The value of --name, if given.
    std::optional<std::string> get(std::string_view name) {
        const auto it = values_.find(name);
        if (it == values_.end()) return std::nullopt;
        used_.emplace(name);
        return it->second.front();
    }
    std::string get(std::string_view name, std::string_view fallback) {
        auto value = get(name);
        return value ? std::move(*value) : std::string(fallback);
    }
    /// Every value of a list flag (one element for `--name=value`).
    std::optional<std::vector<std::string>> get_list(std::string_view name) {
        const auto it = values_.find(name);
        if (it == values_.end()) return std::nullopt;
        used_.emplace(name);
        return it->second;
    }
    /// Whether the switch --name was given.
    bool has(std::string_view name) { return get(name).has_value(); }
    /// A required flag: a UsageError names it when missing.
    std::string required(std::string_view name) {
        auto value = get(name);
        if (!value) throw UsageError(fmt::format("the following arguments are required: --{}", name));
        return std::move(*value);
    }

    /// An integer flag in [min, max].
    std::optional<long long> get_int(std::string_view name, long long min, long long max) {
        const auto text = get(name);
        if (!text) return std::nullopt;
        char* end = nullptr;
        errno = 0;
        const long long value = std::strtoll(text->c_str(), &end, 10);
        if (text->empty() || *end != '\0' || errno != 0 || value < min || value > max) {
            throw UsageError(fmt::format("--{} must be an integer from {} to {}, not '{}'", name, min, max, *text));
        }
        return value;
    }
    long long get_int(std::string_view name, long long fallback, long long min, long long max) {
        return get_int(name, min, max).value_or(fallback);
    }

    /// A duration in seconds, fractions allowed ("0.2"), at least zero.
    std::optional<std::chrono::milliseconds> get_seconds(std::string_view name) {
        const auto text = get(name);
        if (!text) return std::nullopt;
        char* end = nullptr;
        const double seconds = std::strtod(text->c_str(), &end);
        if (text->empty() || *end != '\0' || !std::isfinite(seconds) || seconds < 0 || seconds > 1e9) {
            throw UsageError(fmt::format("--{} must be a number of seconds, not '{}'", name, *text));
        }
        return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
    }
    std::chrono::milliseconds get_seconds(std::string_view name, std::chrono::milliseconds fallback) {
        return get_seconds(name).value_or(fallback);
    }

    const std::vector<std::string>& positional() const noexcept { return positional_; }

    /// Rejects any flag that was given but never read.
    void finish() const {
        for (const auto& entry : values_) {
            if (used_.count(entry.first) == 0) throw UsageError(fmt::format("unknown option --{}", entry.first));
        }
    }

private:
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::set<std::string, std::less<>> used_;
    std::vector<std::string> positional_;
};

/// The usage lines of the flags client_config() reads.
inline std::string client_flags_usage(std::string_view default_region) {
    return fmt::format(
        "  --region REGION       default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else {}\n"
        "  --endpoint-url URL    default: AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL, the profile,\n"
        "                        else the AWS endpoint of the region\n"
        "  --profile NAME        default: AWS_PROFILE, else \"default\"\n",
        default_region);
}

/// A ClientConfig from --region, --endpoint-url and --profile, else the
/// standard environment; when neither names a region, the workflow's own
/// (`default_region`), so the examples run as the originals did.
inline kinesis::ClientConfig client_config(Flags& flags, std::string_view default_region) {
    kinesis::ClientConfig config;
    config.endpoint = flags.get("endpoint-url", "");
    config.profile = flags.get("profile", "");
    if (auto region = flags.get("region")) {
        config.region = std::move(*region);
    } else if (!kinesis::resolve_region(config)) {
        config.region = std::string(default_region);
    }
    return config;
}

}  // namespace examples

#endif  // KINESIS_EXAMPLES_COMMON_FLAGS_HPP
