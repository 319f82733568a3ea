// SPDX-License-Identifier: Apache-2.0
// The shared AWS config and credentials files (INI as the AWS CLI reads it) and profile lookup.
#ifndef KINESIS_CORE_DETAIL_PROFILE_HPP
#define KINESIS_CORE_DETAIL_PROFILE_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis::detail {

/// One [section]: keys lowercased (as Python's configparser does), values
/// trimmed; `key =` followed by indented `sub = value` lines is a nested block.
struct IniSection {
    std::map<std::string, std::string, std::less<>> values;
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> nested;

    /// The value of `key`, or nullopt when absent (an empty value is present).
    [[nodiscard]] KINESIS_DECL std::optional<std::string_view> get(std::string_view key) const;
};

/// A parsed file; sections keyed by the text between the brackets, trimmed.
struct IniFile {
    std::string path;     ///< as shown in errors
    bool exists = false;  ///< false: the file was not there (not an error)
    std::map<std::string, IniSection, std::less<>> sections;

    [[nodiscard]] KINESIS_DECL const IniSection* find(std::string_view name) const;
};

/// Parses INI text. A line that is no comment, section header or `key = value`
/// fails with InvalidArgument "<path>:<line>: expected ..."; the line's text is
/// never quoted (it may hold a secret).
[[nodiscard]] KINESIS_DECL Result<IniFile> parse_ini(std::string_view text, std::string path);
/// Reads and parses a file; a missing file gives an empty IniFile with exists == false.
[[nodiscard]] KINESIS_DECL Result<IniFile> load_ini(std::string path);

/// "~/..." with $HOME (or the passwd entry) substituted.
[[nodiscard]] KINESIS_DECL std::string expand_home(std::string_view path);
/// AWS_CONFIG_FILE, else ~/.aws/config.
[[nodiscard]] KINESIS_DECL std::string config_file_path();
/// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.
[[nodiscard]] KINESIS_DECL std::string credentials_file_path();
/// The explicit name if not empty, else AWS_PROFILE, else "default".
[[nodiscard]] KINESIS_DECL std::string profile_name(std::string_view explicit_name);

/// A profile in the config file: [profile name], or [default] (where
/// [profile default] wins if both are present).
[[nodiscard]] KINESIS_DECL const IniSection* find_config_profile(const IniFile& file, std::string_view name);
/// A profile in the credentials file: [name].
[[nodiscard]] KINESIS_DECL const IniSection* find_credentials_profile(const IniFile& file, std::string_view name);

/// Fails as botocore's ProfileNotFound does: a profile named explicitly (else by
/// AWS_PROFILE; the implicit "default" is not named) that is neither in `config`
/// nor in the credentials file, read only then. InvalidArgument naming the
/// profile, AWS_PROFILE if it named it, and both files.
[[nodiscard]] KINESIS_DECL Result<void> check_named_profile(std::string_view explicit_name, const IniFile& config);

/// A non-empty environment variable, or nullopt.
[[nodiscard]] KINESIS_DECL std::optional<std::string> env(const char* name);
/// Whether text is "true" in any case (how the SDKs read boolean settings).
[[nodiscard]] KINESIS_DECL bool is_true(std::string_view text) noexcept;

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/profile.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_PROFILE_HPP
