// SPDX-License-Identifier: Apache-2.0
// AWS credentials, the providers that find them, and the default provider chain.
#ifndef KINESIS_CREDENTIALS_HPP
#define KINESIS_CREDENTIALS_HPP

#include <kinesis/config_macros.hpp>
#include <kinesis/error.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis {

namespace detail {
/// Overwrites memory in a way the optimiser cannot drop (OPENSSL_cleanse).
KINESIS_DECL void secure_wipe(void* data, std::size_t size) noexcept;
}  // namespace detail

/// A string that is wiped when released and never printed: formatting it
/// with fmt yields "****". Use view() deliberately, where the bytes are needed.
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string value) : value_(std::move(value)) {}
    SecretString(const SecretString& other) : value_(other.value_) {}
    SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
        other.wipe();
    }
    SecretString& operator=(const SecretString& other) {
        if (this != &other) {
            wipe();
            value_ = other.value_;
        }
        return *this;
    }
    SecretString& operator=(SecretString&& other) noexcept {
        if (this != &other) {
            wipe();
            value_ = std::move(other.value_);
            other.wipe();
        }
        return *this;
    }
    ~SecretString() { wipe(); }

    [[nodiscard]] std::string_view view() const noexcept { return value_; }
    [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
    friend bool operator==(const SecretString& a, const SecretString& b) noexcept {
        return a.value_ == b.value_;
    }
    friend bool operator!=(const SecretString& a, const SecretString& b) noexcept {
        return !(a == b);
    }

private:
    void wipe() noexcept {
        if (!value_.empty()) detail::secure_wipe(value_.data(), value_.size());
        value_.clear();
    }
    std::string value_;
};

/// One set of AWS credentials. Copyable; secrets wiped on release.
struct Credentials {
    std::string access_key_id;
    SecretString secret_access_key;
    SecretString session_token;  ///< empty for long-term keys
    /// When temporary credentials stop working; empty for long-term keys.
    std::optional<std::chrono::system_clock::time_point> expiration;
    std::string provider_name;  ///< which provider produced them, for diagnostics

    [[nodiscard]] bool empty() const noexcept {
        return access_key_id.empty() || secret_access_key.empty();
    }
};

/// Something that yields credentials. Implementations are thread-safe.
class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    /// Current credentials; providers of temporary credentials refresh
    /// them before they expire.
    [[nodiscard]] virtual Result<Credentials> credentials() = 0;
};

}  // namespace kinesis

template <>
struct fmt::formatter<kinesis::SecretString> {
    constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
    template <class FormatContext>
    auto format(const kinesis::SecretString&, FormatContext& ctx) const {
        return fmt::format_to(ctx.out(), "****");
    }
};

#ifdef KINESIS_HEADER_ONLY
#include <kinesis/impl/credentials.ipp>
#endif

#endif  // KINESIS_CREDENTIALS_HPP
