// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/crypto.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_CRYPTO_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_CRYPTO_INL_HPP

#include <kinesis/core/detail/crypto.hpp>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <utility>

namespace kinesis::detail {

namespace crypto_impl {

// OpenSSL 3 resolves EVP_sha256() and friends through the provider store on
// every use (~200 ns each); an explicitly fetched algorithm is resolved once.
// The objects live for the whole process and are never freed.
inline EVP_MD* fetched_sha256() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) throw std::runtime_error("OpenSSL: SHA256 is not available");
    return md;
}

inline EVP_MD* fetched_md5() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
    if (md == nullptr) throw std::runtime_error("OpenSSL: MD5 is not available");
    return md;
}

inline EVP_MAC* fetched_hmac() {
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) throw std::runtime_error("OpenSSL: HMAC is not available");
    return mac;
}

inline EVP_MD_CTX* new_digest_ctx(EVP_MD* md) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (ctx == nullptr) throw std::bad_alloc();
    if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1) {
        EVP_MD_CTX_free(ctx);
        throw std::runtime_error("OpenSSL: EVP_DigestInit_ex2 failed");
    }
    return ctx;
}

inline void digest_update(EVP_MD_CTX* ctx, const void* data, std::size_t size) {
    if (size != 0 && EVP_DigestUpdate(ctx, data, size) != 1) {
        throw std::runtime_error("OpenSSL: EVP_DigestUpdate failed");
    }
}

template <std::size_t N>
std::array<unsigned char, N> digest_finish(EVP_MD_CTX* ctx, EVP_MD* md) {
    std::array<unsigned char, N> out{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(ctx, out.data(), &size) != 1 || size != N) {
        throw std::runtime_error("OpenSSL: EVP_DigestFinal_ex failed");
    }
    // Re-initialising with the same algorithm keeps the provider context: no allocation.
    if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1) {
        throw std::runtime_error("OpenSSL: EVP_DigestInit_ex2 failed");
    }
    return out;
}

inline Sha256Digest mac_final(EVP_MAC_CTX* ctx, std::string_view data) {
    if (!data.empty() &&
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        throw std::runtime_error("OpenSSL: EVP_MAC_update failed");
    }
    Sha256Digest out{};
    std::size_t size = 0;
    if (EVP_MAC_final(ctx, out.data(), &size, out.size()) != 1 || size != out.size()) {
        throw std::runtime_error("OpenSSL: EVP_MAC_final failed");
    }
    return out;
}

}  // namespace crypto_impl

KINESIS_DECL Sha256::Sha256() : ctx_(crypto_impl::new_digest_ctx(crypto_impl::fetched_sha256())) {}

KINESIS_DECL Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

KINESIS_DECL Sha256::Sha256(Sha256&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

KINESIS_DECL Sha256& Sha256::operator=(Sha256&& other) noexcept {
    if (this != &other) {
        EVP_MD_CTX_free(ctx_);
        ctx_ = std::exchange(other.ctx_, nullptr);
    }
    return *this;
}

KINESIS_DECL void Sha256::update(const void* data, std::size_t size) {
    crypto_impl::digest_update(ctx_, data, size);
}

KINESIS_DECL Sha256Digest Sha256::finish() {
    return crypto_impl::digest_finish<32>(ctx_, crypto_impl::fetched_sha256());
}

KINESIS_DECL Md5::Md5() : ctx_(crypto_impl::new_digest_ctx(crypto_impl::fetched_md5())) {}

KINESIS_DECL Md5::~Md5() { EVP_MD_CTX_free(ctx_); }

KINESIS_DECL Md5::Md5(Md5&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

KINESIS_DECL Md5& Md5::operator=(Md5&& other) noexcept {
    if (this != &other) {
        EVP_MD_CTX_free(ctx_);
        ctx_ = std::exchange(other.ctx_, nullptr);
    }
    return *this;
}

KINESIS_DECL void Md5::update(const void* data, std::size_t size) {
    crypto_impl::digest_update(ctx_, data, size);
}

KINESIS_DECL Md5Digest Md5::finish() {
    return crypto_impl::digest_finish<16>(ctx_, crypto_impl::fetched_md5());
}

KINESIS_DECL HmacSha256Key::HmacSha256Key(std::string_view key)
    : HmacSha256Key(key.data(), key.size()) {}

KINESIS_DECL HmacSha256Key::HmacSha256Key(const void* key, std::size_t size) {
    ctx_ = EVP_MAC_CTX_new(crypto_impl::fetched_hmac());
    if (ctx_ == nullptr) throw std::bad_alloc();
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    // A zero-length key still needs a non-null pointer, or OpenSSL treats it as "keep the old key".
    static const unsigned char empty_key = 0;
    const auto* key_bytes = size == 0 ? &empty_key : static_cast<const unsigned char*>(key);
    if (EVP_MAC_init(ctx_, key_bytes, size, params) != 1) {
        EVP_MAC_CTX_free(ctx_);
        ctx_ = nullptr;
        throw std::runtime_error("OpenSSL: EVP_MAC_init (HMAC-SHA256) failed");
    }
}

KINESIS_DECL HmacSha256Key::~HmacSha256Key() { EVP_MAC_CTX_free(ctx_); }

KINESIS_DECL HmacSha256Key::HmacSha256Key(const HmacSha256Key& other)
    : ctx_(EVP_MAC_CTX_dup(other.ctx_)) {
    if (ctx_ == nullptr) throw std::bad_alloc();
}

KINESIS_DECL HmacSha256Key& HmacSha256Key::operator=(const HmacSha256Key& other) {
    if (this != &other) {
        EVP_MAC_CTX* copy = EVP_MAC_CTX_dup(other.ctx_);
        if (copy == nullptr) throw std::bad_alloc();
        EVP_MAC_CTX_free(ctx_);
        ctx_ = copy;
    }
    return *this;
}

KINESIS_DECL HmacSha256Key::HmacSha256Key(HmacSha256Key&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)) {}

KINESIS_DECL HmacSha256Key& HmacSha256Key::operator=(HmacSha256Key&& other) noexcept {
    if (this != &other) {
        EVP_MAC_CTX_free(ctx_);
        ctx_ = std::exchange(other.ctx_, nullptr);
    }
    return *this;
}

KINESIS_DECL Sha256Digest HmacSha256Key::mac(std::string_view data) {
    // A null key restarts from the stored inner/outer pads (OpenSSL 3 HMAC "reinit").
    if (EVP_MAC_init(ctx_, nullptr, 0, nullptr) != 1) {
        throw std::runtime_error("OpenSSL: EVP_MAC_init (restart) failed");
    }
    return crypto_impl::mac_final(ctx_, data);
}

KINESIS_DECL Sha256Digest HmacSha256Key::mac_copy(std::string_view data) const {
    struct Guard {
        EVP_MAC_CTX* ctx;
        ~Guard() { EVP_MAC_CTX_free(ctx); }
    } copy{EVP_MAC_CTX_dup(ctx_)};
    if (copy.ctx == nullptr) throw std::bad_alloc();
    if (EVP_MAC_init(copy.ctx, nullptr, 0, nullptr) != 1) {
        throw std::runtime_error("OpenSSL: EVP_MAC_init (restart) failed");
    }
    return crypto_impl::mac_final(copy.ctx, data);
}

KINESIS_DECL Sha256Digest sha256(std::string_view data) {
    thread_local Sha256 hasher;
    return hasher.hash(data);
}

KINESIS_DECL Md5Digest md5(std::string_view data) {
    thread_local Md5 hasher;
    return hasher.hash(data);
}

KINESIS_DECL Sha256Digest hmac_sha256(std::string_view key, std::string_view data) {
    HmacSha256Key prepared(key);
    return prepared.mac(data);
}

KINESIS_DECL bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    // OR of the XORs of every byte: no branch depends on where (or whether) they differ.
    // Inline rather than CRYPTO_memcmp because the signer checks a secret on every request.
    std::uint64_t diff = 0;
    std::size_t i = 0;
    for (; i + 8 <= a.size(); i += 8) {
        std::uint64_t x;
        std::uint64_t y;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        diff |= x ^ y;
    }
    for (; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
    }
    return diff == 0;
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_CRYPTO_INL_HPP
