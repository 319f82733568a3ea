// SPDX-License-Identifier: Apache-2.0
// Fuzzes the reader of ~/.aws/config and ~/.aws/credentials (INI as the AWS CLI reads it).
#include <kinesis/core/detail/profile.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using kinesis_fuzz::require;

namespace {
// The seeds hold this as a secret key; an error must never quote it back.
constexpr std::string_view secret_marker = "wJalrXUtnFEMI";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = kinesis::detail;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto file = d::parse_ini(text, "fuzz/config");
    if (!file) {
        // The line's text is never quoted (it may hold a secret), only where it is.
        require(file.error().kind == kinesis::ErrorKind::InvalidArgument);
        require(file.error().message.rfind("fuzz/config:", 0) == 0);
        require(file.error().message.find(secret_marker) == std::string::npos);
        return 0;
    }
    require(file->exists);
    for (const auto& [name, section] : file->sections) {
        require(file->find(name) == &section);
        for (const auto& [key, value] : section.values) {
            const auto got = section.get(key);
            require(got.has_value() && *got == value);
            // Keys are lowercased, as configparser does.
            for (char c : key) require(!(c >= 'A' && c <= 'Z'));
        }
        // What the credential chain does with a profile it found.
        if (name.rfind("profile ", 0) == 0) (void)d::find_config_profile(*file, name.substr(8));
        (void)d::find_credentials_profile(*file, name);
    }
    (void)d::find_config_profile(*file, "default");
    return 0;
}
