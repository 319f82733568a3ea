// SPDX-License-Identifier: Apache-2.0
// SHA-256, HMAC-SHA256 and MD5 on OpenSSL 3 EVP, with algorithms fetched once and contexts reused.
#ifndef KINESIS_CORE_DETAIL_CRYPTO_HPP
#define KINESIS_CORE_DETAIL_CRYPTO_HPP

#include <kinesis/core/linkage.hpp>

#include <array>
#include <cstddef>
#include <string_view>

// OpenSSL's own tags for EVP_MD_CTX and EVP_MAC_CTX, so this header needs no OpenSSL include.
struct evp_md_ctx_st;
struct evp_mac_ctx_st;

namespace kinesis::detail {

using Sha256Digest = std::array<unsigned char, 32>;
using Md5Digest = std::array<unsigned char, 16>;

/// Incremental SHA-256 over one reused EVP_MD_CTX; finish() makes it ready for the next message.
/// Not thread-safe: one per thread (or per owner).
class Sha256 {
public:
    KINESIS_DECL Sha256();
    KINESIS_DECL ~Sha256();
    KINESIS_DECL Sha256(Sha256&& other) noexcept;
    KINESIS_DECL Sha256& operator=(Sha256&& other) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    KINESIS_DECL void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    /// Digest of everything updated since the last finish(); resets the state.
    [[nodiscard]] KINESIS_DECL Sha256Digest finish();
    /// Digest of one message, reusing this object's context.
    [[nodiscard]] Sha256Digest hash(std::string_view data) {
        update(data);
        return finish();
    }

private:
    evp_md_ctx_st* ctx_ = nullptr;
};

/// Incremental MD5 (for Kinesis hash keys and KPL aggregate checksums, not for security).
/// Not thread-safe: one per thread (or per owner).
class Md5 {
public:
    KINESIS_DECL Md5();
    KINESIS_DECL ~Md5();
    KINESIS_DECL Md5(Md5&& other) noexcept;
    KINESIS_DECL Md5& operator=(Md5&& other) noexcept;
    Md5(const Md5&) = delete;
    Md5& operator=(const Md5&) = delete;

    KINESIS_DECL void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    /// Digest of everything updated since the last finish(); resets the state.
    [[nodiscard]] KINESIS_DECL Md5Digest finish();
    [[nodiscard]] Md5Digest hash(std::string_view data) {
        update(data);
        return finish();
    }

private:
    evp_md_ctx_st* ctx_ = nullptr;
};

/// An HMAC-SHA256 context already keyed: the key schedule (ipad/opad blocks) is done once,
/// and each MAC restarts from it. The key bytes are not kept anywhere else.
class HmacSha256Key {
public:
    KINESIS_DECL explicit HmacSha256Key(std::string_view key);
    KINESIS_DECL HmacSha256Key(const void* key, std::size_t size);
    KINESIS_DECL ~HmacSha256Key();
    /// Duplicates the prepared context (EVP_MAC_CTX_dup); the key is not re-scheduled.
    KINESIS_DECL HmacSha256Key(const HmacSha256Key& other);
    KINESIS_DECL HmacSha256Key& operator=(const HmacSha256Key& other);
    KINESIS_DECL HmacSha256Key(HmacSha256Key&& other) noexcept;
    KINESIS_DECL HmacSha256Key& operator=(HmacSha256Key&& other) noexcept;

    /// MAC of one message. Restarts this object's context in place (cheapest path),
    /// so it is not safe to call on one key from two threads at once.
    [[nodiscard]] KINESIS_DECL Sha256Digest mac(std::string_view data);
    /// MAC of one message over a duplicate of the prepared context: the key is left
    /// untouched, so concurrent calls on one const key are safe. Costs an allocation.
    [[nodiscard]] KINESIS_DECL Sha256Digest mac_copy(std::string_view data) const;

private:
    evp_mac_ctx_st* ctx_ = nullptr;
};

/// SHA-256 of one message (a thread-local reused context).
[[nodiscard]] KINESIS_DECL Sha256Digest sha256(std::string_view data);
/// MD5 of one message (a thread-local reused context).
[[nodiscard]] KINESIS_DECL Md5Digest md5(std::string_view data);
/// HMAC-SHA256 with a key used once; keep an HmacSha256Key when the key repeats.
[[nodiscard]] KINESIS_DECL Sha256Digest hmac_sha256(std::string_view key, std::string_view data);
/// Compares in time independent of where the bytes differ; false if the sizes differ.
[[nodiscard]] KINESIS_DECL bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/crypto.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_CRYPTO_HPP
