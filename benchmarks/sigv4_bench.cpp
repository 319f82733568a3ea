// SPDX-License-Identifier: Apache-2.0
// SigV4 signing of a Kinesis PutRecord request beside the bare-OpenSSL floor of the same work.
#include "benchmark_main.hpp"

#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/auth/sigv4.hpp>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

namespace {

// ~200 bytes: a 100-byte record, base64 in JSON, as the Kinesis layer sends it.
std::string put_record_body() {
    return R"({"StreamName":"my-stream","Data":")" + kinesis::detail::base64_encode(std::string(100, 'x')) +
           R"(","PartitionKey":"partition-key-0001"})";
}

// A PutRecord request exactly as detail::ServiceClient builds one before signing it
// (Content-Type and X-Amz-Target; the signer adds Host, X-Amz-Date and Authorization).
kinesis::HttpRequest put_record(const kinesis::HttpRequest& endpoint, const std::string& body) {
    return kinesis::detail::json_request(endpoint, "Kinesis_20131202", "PutRecord", "1.1", body);
}

kinesis::HttpRequest kinesis_endpoint() {
    return kinesis::HttpRequest::from_url("POST", "https://kinesis.us-east-1.amazonaws.com").value();
}

kinesis::Credentials credentials() {
    kinesis::Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = kinesis::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return c;
}

kinesis::SigningParams params() {
    kinesis::SigningParams p;
    p.region = "us-east-1";
    p.service = "kinesis";
    p.time = kinesis::detail::parse_iso8601("2015-08-30T12:36:00Z").value();
    return p;
}

// Signing fresh requests, as a client does for each PutRecord: every request is built by
// detail::json_request() and starts unsigned. Building them (and freeing the signed ones)
// is outside the timed region, in batches. The signer hashes the body here; ServiceClient
// hashes it once per call before the first attempt and passes params.payload_hash, the
// same work moved out of sign().
void sign_fresh(benchmark::State& state) {
    const auto endpoint = kinesis_endpoint();
    const std::string body = put_record_body();
    const auto creds = credentials();
    const auto p = params();
    kinesis::Signer signer;
    constexpr std::size_t batch = 64;
    std::vector<kinesis::HttpRequest> requests(batch);
    std::size_t next = batch;
    for (auto _ : state) {
        if (next == batch) {
            state.PauseTiming();
            for (auto& r : requests) r = put_record(endpoint, body);
            next = 0;
            state.ResumeTiming();
        }
        signer.sign(requests[next++], creds, p);
    }
    benchmark::DoNotOptimize(requests.data());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

// Signing the same request again (a retry): the added headers are replaced in place.
void sign_again(benchmark::State& state) {
    kinesis::HttpRequest request = put_record(kinesis_endpoint(), put_record_body());
    const auto creds = credentials();
    const auto p = params();
    kinesis::Signer signer;
    for (auto _ : state) {
        signer.sign(request, creds, p);
        benchmark::DoNotOptimize(request.headers.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * request.body.size()));
}

// The floor: only the cryptography SigV4 cannot avoid, with every string prebuilt and
// OpenSSL used at its best (fetched algorithms, reused contexts, a prepared HMAC key):
// sha256(body), sha256(canonical request), HMAC(signing key, string to sign).
void floor_openssl(benchmark::State& state) {
    kinesis::HttpRequest request = put_record(kinesis_endpoint(), put_record_body());
    kinesis::Signer signer;
    signer.sign(request, credentials(), params());
    const std::string canonical(signer.last_canonical_request());
    const std::string string_to_sign(signer.last_string_to_sign());
    const auto p = params();
    const auto signing_key = kinesis::derive_signing_key(credentials().secret_access_key.view(), p.time, p.region, p.service);

    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* mac_ctx = EVP_MAC_CTX_new(mac);
    char digest_name[] = "SHA256";
    const OSSL_PARAM mac_params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                     OSSL_PARAM_construct_end()};
    EVP_MAC_init(mac_ctx, signing_key.data(), signing_key.size(), mac_params);
    unsigned char out[32];
    unsigned int size = 0;
    std::size_t mac_size = 0;
    for (auto _ : state) {
        EVP_DigestInit_ex2(ctx, md, nullptr);
        EVP_DigestUpdate(ctx, request.body.data(), request.body.size());
        EVP_DigestFinal_ex(ctx, out, &size);
        benchmark::DoNotOptimize(out);
        EVP_DigestInit_ex2(ctx, md, nullptr);
        EVP_DigestUpdate(ctx, canonical.data(), canonical.size());
        EVP_DigestFinal_ex(ctx, out, &size);
        benchmark::DoNotOptimize(out);
        EVP_MAC_init(mac_ctx, nullptr, 0, nullptr);
        EVP_MAC_update(mac_ctx, reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size());
        EVP_MAC_final(mac_ctx, out, &mac_size, sizeof out);
        benchmark::DoNotOptimize(out);
    }
    EVP_MAC_CTX_free(mac_ctx);
    EVP_MAC_free(mac);
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * request.body.size()));
    state.counters["canonical_bytes"] = static_cast<double>(canonical.size());
}

// For scale: what a cache miss costs (four HMACs with fresh keys, plus preparing the key).
void derive_key(benchmark::State& state) {
    const auto creds = credentials();
    const auto p = params();
    for (auto _ : state) {
        auto key = kinesis::derive_signing_key(creds.secret_access_key.view(), p.time, p.region, p.service);
        benchmark::DoNotOptimize(key);
    }
}

}  // namespace

BENCHMARK(sign_fresh)->Name("sigv4_sign/kinesis");
BENCHMARK(sign_again)->Name("sigv4_resign/kinesis");
BENCHMARK(floor_openssl)->Name("sigv4_floor/openssl");
BENCHMARK(derive_key)->Name("sigv4_derive_signing_key/kinesis");

int main(int argc, char** argv) {
    return kinesis_bench::run(argc, argv,
                              {{"sigv4_sign/kinesis", "sigv4_floor/openssl"},
                               {"sigv4_resign/kinesis", "sigv4_floor/openssl"}});
}
