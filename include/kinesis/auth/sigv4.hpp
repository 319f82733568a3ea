// SPDX-License-Identifier: Apache-2.0
// AWS Signature Version 4: header signing, presigned URLs, and each step as a pure function.
#ifndef KINESIS_AUTH_SIGV4_HPP
#define KINESIS_AUTH_SIGV4_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/http/transport.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis {

/// What to sign with, and how. Every difference between services is a field here:
/// the signer never looks at the service name to decide anything.
struct SigningParams {
    std::string_view region;
    std::string_view service;                    ///< signing name: "kinesis", "firehose", "s3", "sts", ...
    std::chrono::system_clock::time_point time;  ///< the request time
    bool double_uri_encode = true;               ///< false for S3
    bool normalize_path = true;                  ///< false for S3
    bool add_content_sha256_header = false;      ///< S3: add and sign x-amz-content-sha256 (header form only)
    bool omit_session_token = false;             ///< sign without the token, then add it (post-sts-header-after)
    std::string_view payload_hash;               ///< empty: hex(sha256(body)); else used as is, e.g. "UNSIGNED-PAYLOAD"
    std::chrono::seconds expires{3600};          ///< presign only; AWS accepts at most 7 days
};

/// "AWS4-HMAC-SHA256"
inline constexpr std::string_view sigv4_algorithm = "AWS4-HMAC-SHA256";
/// The payload hash that tells S3 the body is not signed.
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
/// The payload hash of aws-chunked uploads whose chunks are signed one by one.
inline constexpr std::string_view streaming_payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

/// Whether a header of this name (any case) is signed: every header except authorization,
/// user-agent, expect and x-amzn-trace-id, which proxies and transports may change (botocore's rule).
[[nodiscard]] KINESIS_DECL bool is_signed_header(std::string_view name) noexcept;

/// The canonical URI of a wire path: "." and ".." segments removed and "//" collapsed when
/// params.normalize_path, then each segment encoded once more when params.double_uri_encode.
[[nodiscard]] KINESIS_DECL std::string canonical_uri(std::string_view path, const SigningParams& params);
/// Each decoded name and value RFC 3986-encoded, sorted by name then value, joined with '&';
/// a parameter without a value becomes "name=".
[[nodiscard]] KINESIS_DECL std::string canonical_query_string(
    const std::vector<std::pair<std::string, std::string>>& query);
/// The lower-case names of the signed headers, sorted, without duplicates, joined with ';'.
[[nodiscard]] KINESIS_DECL std::string signed_headers(const HttpRequest& request);

/// Task 1: the canonical request of `request` exactly as it will be sent (the X-Amz-* headers
/// or query parameters already in place): method, canonical URI, canonical query, canonical
/// headers, signed headers and the payload hash, one per line.
[[nodiscard]] KINESIS_DECL std::string canonical_request(const HttpRequest& request,
                                                         const SigningParams& params,
                                                         std::string_view payload_hash);

/// "20150830/us-east-1/service/aws4_request"
[[nodiscard]] KINESIS_DECL std::string credential_scope(std::chrono::system_clock::time_point time,
                                                        std::string_view region, std::string_view service);

/// Task 2: algorithm, X-Amz-Date, credential scope and hex(sha256(canonical request)).
[[nodiscard]] KINESIS_DECL std::string string_to_sign(std::chrono::system_clock::time_point time,
                                                      std::string_view credential_scope,
                                                      std::string_view canonical_request);

/// Task 3: HMAC("AWS4" + secret, date) -> region -> service -> "aws4_request".
[[nodiscard]] KINESIS_DECL detail::Sha256Digest derive_signing_key(std::string_view secret_access_key,
                                                                   std::chrono::system_clock::time_point time,
                                                                   std::string_view region,
                                                                   std::string_view service);

/// Task 4: hex(HMAC(signing key, string to sign)).
[[nodiscard]] KINESIS_DECL std::string signature(const detail::Sha256Digest& signing_key,
                                                 std::string_view string_to_sign);
/// The same with a prepared key context (what Signer caches).
[[nodiscard]] KINESIS_DECL std::string signature(detail::HmacSha256Key& signing_key,
                                                 std::string_view string_to_sign);

/// "AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=<names>, Signature=<hex>"
[[nodiscard]] KINESIS_DECL std::string authorization_header(std::string_view access_key_id,
                                                            std::string_view credential_scope,
                                                            std::string_view signed_headers,
                                                            std::string_view signature);

/// The payload hash the canonical request ends with: params.payload_hash if set, else
/// hex(sha256(body)).
[[nodiscard]] KINESIS_DECL std::string payload_hash(std::string_view body, const SigningParams& params);

/// aws-chunked (S3 streaming upload): the string to sign of one chunk, chained to the
/// previous signature (the seed signature for the first chunk); the last chunk is empty.
[[nodiscard]] KINESIS_DECL std::string chunk_string_to_sign(std::chrono::system_clock::time_point time,
                                                            std::string_view credential_scope,
                                                            std::string_view previous_signature,
                                                            std::string_view chunk);

namespace detail {
/// One header or query parameter during canonicalisation: offsets into a scratch arena,
/// so sorting moves 24-byte records and allocates nothing once the buffers have grown.
struct CanonicalSlot {
    std::uint64_t prefix;  ///< first 8 name bytes, big-endian: most comparisons end here
    std::uint32_t name_begin;
    std::uint32_t name_size;
    std::uint32_t value_begin;  ///< arena offset (query) or index into the request's headers
    std::uint32_t value_size;
};
}  // namespace detail

/// Signs requests; caches the derived signing key per (access key id, date, region, service)
/// as a keyed HMAC context (never keyed on the secret, never keeping the secret in a mutable member).
/// Not thread-safe: one per client.
class Signer {
public:
    KINESIS_DECL Signer();
    KINESIS_DECL ~Signer();
    KINESIS_DECL Signer(Signer&&) noexcept;
    KINESIS_DECL Signer& operator=(Signer&&) noexcept;
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;

    /// Adds Host (from request.host) if absent, X-Amz-Date, X-Amz-Security-Token (if the credentials have one),
    /// x-amz-content-sha256 (if asked) and Authorization. Signing again replaces them.
    KINESIS_DECL void sign(HttpRequest& request, const Credentials& credentials, const SigningParams& params);
    /// Adds X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Security-Token, -Signature query params.
    KINESIS_DECL void presign(HttpRequest& request, const Credentials& credentials, const SigningParams& params);

    /// The canonical request and string to sign of the last sign()/presign() (for debug logs
    /// and tests; they hold no secret, but do hold the session token if it was signed).
    /// The views stay valid until the next sign()/presign().
    [[nodiscard]] std::string_view last_canonical_request() const noexcept {
        return std::string_view(canonical_.data(), canonical_length_);
    }
    [[nodiscard]] std::string_view last_string_to_sign() const noexcept { return string_to_sign_; }
    /// How many signing keys were derived (cache misses); for tests and diagnostics.
    [[nodiscard]] std::size_t key_derivations() const noexcept { return derivations_; }

private:
    // The cache keeps its own copy of the secret, wiped on release (SecretString), only to
    // notice a rotated secret under the same access key id; it is compared in constant time
    // and never used as a lookup key. Entries are plain members changed by the non-const
    // sign()/presign(), never `mutable` state touched from a const call.
    struct CachedKey {
        std::string access_key_id;
        std::string day;  ///< "20150830"
        std::string region;
        std::string service;
        SecretString secret;
        detail::HmacSha256Key key;
        std::string scope;  ///< "20150830/us-east-1/kinesis/aws4_request"
        std::string authorization_prefix;  ///< "AWS4-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders="
    };
    KINESIS_DECL CachedKey& signing_key(const Credentials& credentials, std::string_view day,
                                        const SigningParams& params);
    KINESIS_DECL void build_canonical_request(const HttpRequest& request, const SigningParams& params,
                                              std::string_view payload_hash, bool headers_ready);
    KINESIS_DECL const char* amz_date_for(std::chrono::system_clock::time_point time) noexcept;
    KINESIS_DECL void finish_signature(CachedKey& key, const char* amz_date);

    std::vector<CachedKey> cache_;
    std::size_t next_victim_ = 0;
    std::size_t derivations_ = 0;
    detail::Sha256 sha256_;
    // Reused between calls so a steady stream of requests allocates nothing here. The
    // scratch strings' size() is a high-water mark; the *_length_ members say how much of
    // each holds the current text (growing a std::string zero-fills, so they never shrink).
    std::string canonical_;
    std::size_t canonical_length_ = 0;
    std::string canonical_headers_;  ///< presign only: the header block, computed before the query
    std::size_t canonical_headers_length_ = 0;
    std::string signed_headers_;
    std::size_t signed_headers_length_ = 0;
    std::string string_to_sign_;
    std::string authorization_;  ///< scratch: the Authorization value before it is copied into the header
    std::string arena_;
    std::string prefix_scratch_;
    std::vector<detail::CanonicalSlot> slots_;
    char signature_hex_[64] = {};
    std::int64_t date_second_ = 0;
    bool date_valid_ = false;
    char date_text_[16] = {};
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/auth/impl/sigv4.inl.hpp>
#endif

#endif  // KINESIS_AUTH_SIGV4_HPP
