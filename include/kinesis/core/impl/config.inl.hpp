// SPDX-License-Identifier: Apache-2.0
// Definitions for core/config.hpp.
#ifndef KINESIS_CORE_IMPL_CONFIG_INL_HPP
#define KINESIS_CORE_IMPL_CONFIG_INL_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/detail/checks.hpp>
#include <kinesis/core/detail/profile.hpp>

#include <fmt/core.h>

#include <cctype>

namespace kinesis {

namespace detail::config_impl {

// The profile's section of the config file, loaded on demand; `where` says
// what was found, for error messages ("profile \"dev\" in /home/u/.aws/config").
struct ConfigProfile {
    IniFile file;
    std::string name;
    const IniSection* section = nullptr;

    [[nodiscard]] std::string where() const {
        if (!file.exists) return fmt::format("{} (no such file)", file.path);
        if (section == nullptr) return fmt::format("{} (no profile {})", file.path, quoted_escaped(name));
        return fmt::format("profile {} in {}", quoted_escaped(name), file.path);
    }
};

// botocore's validate_region_name: a DNS label (letters, digits and '-', at
// most 63, no '-' at either end) that is not all digits. The region goes into
// the host name and the signature's scope, so nothing else may pass.
inline bool is_valid_region(std::string_view region) noexcept {
    if (region.empty() || region.size() > 63 || region.front() == '-' || region.back() == '-') return false;
    bool all_digits = true;
    for (const char c : region) {
        const bool digit = c >= '0' && c <= '9';
        if (!digit && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '-') return false;
        all_digits = all_digits && digit;
    }
    return !all_digits;
}

inline Error invalid_region(std::string_view region, std::string_view where) {
    return invalid_argument(fmt::format(
        "invalid region {} from {}: a region is 1 to 63 letters, digits and '-', not all digits, "
        "and neither starts nor ends with '-'",
        quoted_escaped(region), where));
}

inline Result<std::string> checked_region(std::string region, std::string_view where) {
    if (!is_valid_region(region)) return invalid_region(region, where);
    return region;
}

// Fails, as botocore's scoped config does, when config.profile or AWS_PROFILE
// names a profile that neither shared file has.
inline Result<ConfigProfile> load_config_profile(const ClientConfig& config) {
    auto file = load_ini(config_file_path());
    if (!file) return std::move(file).error();
    if (auto named = check_named_profile(config.profile, *file); !named) return std::move(named).error();
    ConfigProfile profile;
    profile.file = std::move(*file);
    profile.name = profile_name(config.profile);
    profile.section = find_config_profile(profile.file, profile.name);
    return profile;
}

}  // namespace detail::config_impl

KINESIS_DECL Result<std::string> resolve_region(const ClientConfig& config) {
    using detail::config_impl::checked_region;
    if (!config.region.empty()) return checked_region(config.region, "config.region");
    if (auto region = detail::env("AWS_REGION")) return checked_region(std::move(*region), "AWS_REGION");
    if (auto region = detail::env("AWS_DEFAULT_REGION")) {
        return checked_region(std::move(*region), "AWS_DEFAULT_REGION");
    }
    auto profile = detail::config_impl::load_config_profile(config);
    if (!profile) return std::move(profile).error();
    if (profile->section != nullptr) {
        if (auto region = profile->section->get("region"); region && !region->empty()) {
            return checked_region(std::string(*region), profile->where());
        }
    }
    return invalid_argument(fmt::format(
        "no region: ClientConfig::region is empty, AWS_REGION and AWS_DEFAULT_REGION are not set, "
        "and there is no `region` in {}",
        profile->where()));
}

KINESIS_DECL Result<std::string> resolve_ca_bundle(const ClientConfig& config) {
    if (!config.ca_bundle.empty()) return config.ca_bundle;
    if (auto bundle = detail::env("AWS_CA_BUNDLE")) return std::move(*bundle);
    auto profile = detail::config_impl::load_config_profile(config);
    if (!profile) return std::move(profile).error();
    if (profile->section != nullptr) {
        if (auto bundle = profile->section->get("ca_bundle"); bundle && !bundle->empty()) return std::string(*bundle);
    }
    return std::string();
}

KINESIS_DECL Result<std::string> resolve_endpoint(const ClientConfig& config, std::string_view endpoint_prefix,
                                                  std::string_view env_name, std::string_view region) {
    if (!config.endpoint.empty()) return config.endpoint;

    // The environment decides over the profile whether configured endpoints count.
    const auto ignore_env = detail::env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    bool ignore = ignore_env && detail::is_true(*ignore_env);
    if (!ignore) {
        std::string variable = "AWS_ENDPOINT_URL_";
        for (char c : env_name) {
            variable += c == ' ' || c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (auto url = detail::env(variable.c_str())) return std::move(*url);
        if (auto url = detail::env("AWS_ENDPOINT_URL")) return std::move(*url);

        auto profile = detail::config_impl::load_config_profile(config);
        if (!profile) return std::move(profile).error();
        if (const detail::IniSection* section = profile->section) {
            if (!ignore_env) {
                if (auto flag = section->get("ignore_configured_endpoint_urls")) ignore = detail::is_true(*flag);
            }
            if (!ignore) {
                // services = <name> points at a [services <name>] section with
                // one nested block per service, keyed by its lowercase id.
                if (auto services = section->get("services"); services && !services->empty()) {
                    if (const auto* block = profile->file.find(fmt::format("services {}", *services))) {
                        std::string key;
                        for (char c : env_name) {
                            key += c == ' ' || c == '-' ? '_'
                                                        : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                        }
                        const auto nested = block->nested.find(key);
                        if (nested != block->nested.end()) {
                            const auto url = nested->second.find("endpoint_url");
                            if (url != nested->second.end() && !url->second.empty()) return url->second;
                        }
                    }
                }
                if (auto url = section->get("endpoint_url"); url && !url->empty()) return std::string(*url);
            }
        }
    }

    if (region.empty()) {
        return invalid_argument(fmt::format("resolve_endpoint: no region to build the {} endpoint from",
                                            endpoint_prefix));
    }
    if (!detail::config_impl::is_valid_region(region)) {
        return detail::config_impl::invalid_region(region, "the region given to resolve_endpoint");
    }
    // The aws-cn partition (cn-north-1, cn-northwest-1) has its own DNS suffix.
    const bool china = region.rfind("cn-", 0) == 0;
    return fmt::format("https://{}.{}.amazonaws.com{}", endpoint_prefix, region, china ? ".cn" : "");
}

}  // namespace kinesis

#endif  // KINESIS_CORE_IMPL_CONFIG_INL_HPP
