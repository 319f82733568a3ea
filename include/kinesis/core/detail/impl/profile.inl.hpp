// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/profile.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_PROFILE_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_PROFILE_INL_HPP

#include <kinesis/core/detail/profile.hpp>
#include <kinesis/core/detail/checks.hpp>

#include <fmt/core.h>

#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kinesis::detail {

namespace profile_impl {

inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

inline Error line_error(const std::string& path, std::size_t line, std::string_view what) {
    return invalid_argument(fmt::format("{}:{}: {}", path, line, what));
}

}  // namespace profile_impl

KINESIS_DECL std::optional<std::string_view> IniSection::get(std::string_view key) const {
    const auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return std::string_view(it->second);
}

KINESIS_DECL const IniSection* IniFile::find(std::string_view name) const {
    const auto it = sections.find(name);
    return it == sections.end() ? nullptr : &it->second;
}

KINESIS_DECL Result<IniFile> parse_ini(std::string_view text, std::string path) {
    using profile_impl::trim;
    IniFile file;
    file.path = std::move(path);
    file.exists = true;
    IniSection* section = nullptr;
    std::string last_key;  // the key an indented line would continue or nest under
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const auto end = text.find('\n');
        std::string_view raw = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;

        const bool indented = std::isspace(static_cast<unsigned char>(raw.front())) != 0;
        if (indented && section != nullptr && !last_key.empty()) {
            // Nested block ("s3 =\n  endpoint_url = ...") or a continuation line.
            const auto eq = line.find('=');
            auto& parent = section->values[last_key];
            if (parent.empty() && eq != std::string_view::npos) {
                const std::string key = profile_impl::lower(trim(line.substr(0, eq)));
                if (key.empty()) return profile_impl::line_error(file.path, line_number, "expected \"key = value\"");
                section->nested[last_key][key] = std::string(trim(line.substr(eq + 1)));
            } else if (section->nested.count(last_key) == 0) {
                parent += '\n';
                parent += line;
            } else {
                return profile_impl::line_error(file.path, line_number,
                                                "expected \"key = value\" in a nested block");
            }
            continue;
        }

        if (line.front() == '[') {
            const auto close = line.find(']');
            if (close == std::string_view::npos) {
                return profile_impl::line_error(file.path, line_number, "expected \"]\" to close the section name");
            }
            const std::string_view after = trim(line.substr(close + 1));
            if (!after.empty() && after.front() != '#' && after.front() != ';') {
                return profile_impl::line_error(file.path, line_number, "unexpected text after \"]\"");
            }
            const std::string_view name = trim(line.substr(1, close - 1));
            if (name.empty()) return profile_impl::line_error(file.path, line_number, "empty section name");
            // Collapse inner runs of blanks: "[profile   dev]" is "profile dev".
            std::string normalized;
            for (char c : name) {
                const bool blank = c == ' ' || c == '\t';
                if (blank && !normalized.empty() && normalized.back() == ' ') continue;
                normalized += blank ? ' ' : c;
            }
            section = &file.sections[normalized];
            last_key.clear();
            continue;
        }

        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            return profile_impl::line_error(file.path, line_number, "expected \"key = value\"");
        }
        std::string key = profile_impl::lower(trim(line.substr(0, eq)));
        if (key.empty()) return profile_impl::line_error(file.path, line_number, "expected \"key = value\" (empty key)");
        if (section == nullptr) {
            return profile_impl::line_error(file.path, line_number,
                                            "expected a [section] header before the first \"key = value\"");
        }
        section->values[key] = std::string(trim(line.substr(eq + 1)));
        section->nested.erase(key);
        last_key = std::move(key);
    }
    return file;
}

KINESIS_DECL Result<IniFile> load_ini(std::string path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR) {
            IniFile missing;
            missing.path = std::move(path);
            return missing;
        }
        return invalid_argument(fmt::format("{}: cannot read: {}", path, std::strerror(error)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return invalid_argument(fmt::format("{}: read failed", path));
    return parse_ini(text.str(), std::move(path));
}

KINESIS_DECL std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

KINESIS_DECL bool is_true(std::string_view text) noexcept {
    text = profile_impl::trim(text);
    if (text.size() != 4) return false;
    for (std::size_t i = 0; i < 4; ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != "true"[i]) return false;
    }
    return true;
}

KINESIS_DECL std::string expand_home(std::string_view path) {
    if (path.empty() || path.front() != '~' || (path.size() > 1 && path[1] != '/')) return std::string(path);
    std::string home;
    if (auto value = env("HOME")) {
        home = std::move(*value);
    } else if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr) {
        home = entry->pw_dir;
    }
    return home + std::string(path.substr(1));
}

KINESIS_DECL std::string config_file_path() {
    return expand_home(env("AWS_CONFIG_FILE").value_or("~/.aws/config"));
}

KINESIS_DECL std::string credentials_file_path() {
    return expand_home(env("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"));
}

KINESIS_DECL std::string profile_name(std::string_view explicit_name) {
    if (!explicit_name.empty()) return std::string(explicit_name);
    return env("AWS_PROFILE").value_or("default");
}

KINESIS_DECL const IniSection* find_config_profile(const IniFile& file, std::string_view name) {
    if (const IniSection* section = file.find(fmt::format("profile {}", name))) return section;
    if (name == "default") return file.find("default");
    return nullptr;
}

KINESIS_DECL const IniSection* find_credentials_profile(const IniFile& file, std::string_view name) {
    return file.find(name);
}

KINESIS_DECL Result<void> check_named_profile(std::string_view explicit_name, const IniFile& config) {
    std::string name(explicit_name);
    std::string_view named_by;
    if (name.empty()) {
        auto from_env = env("AWS_PROFILE");
        if (!from_env) return {};
        name = std::move(*from_env);
        named_by = " (from AWS_PROFILE)";
    }
    if (find_config_profile(config, name) != nullptr) return {};
    auto credentials = load_ini(credentials_file_path());
    if (!credentials) return std::move(credentials).error();
    if (find_credentials_profile(*credentials, name) != nullptr) return {};
    return invalid_argument(fmt::format("profile {}{} not found in {} or {}", quoted_escaped(name), named_by,
                                        credentials->path, config.path));
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_PROFILE_INL_HPP
