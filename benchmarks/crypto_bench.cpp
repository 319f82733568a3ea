// SPDX-License-Identifier: Apache-2.0
// SHA-256, HMAC-SHA256, MD5 and base64: kinesis::detail beside plain OpenSSL over the same bytes.
#include "benchmark_main.hpp"

#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/core/detail/encoding.hpp>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <cstdint>
#include <string>

namespace {

std::string bytes(std::size_t size) {
    std::string out(size, '\0');
    std::uint32_t x = 2463534242u;
    for (auto& c : out) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    return out;
}

void sizes(benchmark::internal::Benchmark* b) {
    for (auto size : {64, 256, 1024, 16384}) b->Arg(size);
}

// The baselines use OpenSSL the fast way too: algorithms fetched once, contexts reused.
struct OpenSslDigest {
    explicit OpenSslDigest(const char* name) : md(EVP_MD_fetch(nullptr, name, nullptr)), ctx(EVP_MD_CTX_new()) {}
    ~OpenSslDigest() {
        EVP_MD_CTX_free(ctx);
        EVP_MD_free(md);
    }
    OpenSslDigest(const OpenSslDigest&) = delete;
    OpenSslDigest& operator=(const OpenSslDigest&) = delete;
    EVP_MD* md;
    EVP_MD_CTX* ctx;
};

void digest_openssl(benchmark::State& state, const char* name) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    OpenSslDigest d(name);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    for (auto _ : state) {
        EVP_DigestInit_ex2(d.ctx, d.md, nullptr);
        EVP_DigestUpdate(d.ctx, data.data(), data.size());
        EVP_DigestFinal_ex(d.ctx, out, &size);
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void sha256_kinesis(benchmark::State& state) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    kinesis::detail::Sha256 hasher;
    for (auto _ : state) benchmark::DoNotOptimize(hasher.hash(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
void sha256_openssl(benchmark::State& state) { digest_openssl(state, "SHA256"); }

void md5_kinesis(benchmark::State& state) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    kinesis::detail::Md5 hasher;
    for (auto _ : state) benchmark::DoNotOptimize(hasher.hash(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
void md5_openssl(benchmark::State& state) { digest_openssl(state, "MD5"); }

void hmac_kinesis(benchmark::State& state) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    kinesis::detail::HmacSha256Key key(bytes(32));
    for (auto _ : state) benchmark::DoNotOptimize(key.mac(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void hmac_openssl(benchmark::State& state) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    const std::string key = bytes(32);
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params);
    unsigned char out[32];
    std::size_t size = 0;
    for (auto _ : state) {
        EVP_MAC_init(ctx, nullptr, 0, nullptr);  // restart from the prepared key
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size());
        EVP_MAC_final(ctx, out, &size, sizeof out);
        benchmark::DoNotOptimize(out);
    }
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

// mac_copy duplicates the prepared context per message (thread-safe on a shared key).
void hmac_copy_kinesis(benchmark::State& state) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    const kinesis::detail::HmacSha256Key key(bytes(32));
    for (auto _ : state) benchmark::DoNotOptimize(key.mac_copy(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void base64_encode_kinesis(benchmark::State& state) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    std::string out;
    out.reserve(kinesis::detail::base64_encoded_size(data.size()));
    for (auto _ : state) {
        out.clear();
        kinesis::detail::base64_encode(data, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void base64_encode_openssl(benchmark::State& state) {
    const std::string data = bytes(static_cast<std::size_t>(state.range(0)));
    std::string out(kinesis::detail::base64_encoded_size(data.size()) + 1, '\0');
    for (auto _ : state) {
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

// Decoding reports the encoded bytes consumed per second.
void base64_decode_kinesis(benchmark::State& state) {
    const std::string text = kinesis::detail::base64_encode(bytes(static_cast<std::size_t>(state.range(0))));
    std::string out;
    out.reserve(text.size());
    for (auto _ : state) {
        out.clear();
        const bool ok = kinesis::detail::base64_decode(text, out);
        benchmark::DoNotOptimize(ok);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

// EVP_DecodeBlock checks characters but not padding placement; it is the floor, not an equal.
void base64_decode_openssl(benchmark::State& state) {
    const std::string text = kinesis::detail::base64_encode(bytes(static_cast<std::size_t>(state.range(0))));
    std::string out(text.size(), '\0');
    for (auto _ : state) {
        const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
        benchmark::DoNotOptimize(n);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

}  // namespace

BENCHMARK(sha256_kinesis)->Name("sha256/kinesis")->Apply(sizes);
BENCHMARK(sha256_openssl)->Name("sha256/openssl")->Apply(sizes);
BENCHMARK(hmac_kinesis)->Name("hmac_sha256/kinesis")->Apply(sizes);
BENCHMARK(hmac_copy_kinesis)->Name("hmac_sha256_dup/kinesis")->Apply(sizes);
BENCHMARK(hmac_openssl)->Name("hmac_sha256/openssl")->Apply(sizes);
BENCHMARK(md5_kinesis)->Name("md5/kinesis")->Apply(sizes);
BENCHMARK(md5_openssl)->Name("md5/openssl")->Apply(sizes);
BENCHMARK(base64_encode_kinesis)->Name("base64_encode/kinesis")->Apply(sizes);
BENCHMARK(base64_encode_openssl)->Name("base64_encode/openssl")->Apply(sizes);
BENCHMARK(base64_decode_kinesis)->Name("base64_decode/kinesis")->Apply(sizes);
BENCHMARK(base64_decode_openssl)->Name("base64_decode/openssl")->Apply(sizes);

int main(int argc, char** argv) {
    return kinesis_bench::run(argc, argv,
                              {{"sha256/kinesis", "sha256/openssl"},
                               {"hmac_sha256/kinesis", "hmac_sha256/openssl"},
                               {"hmac_sha256_dup/kinesis", "hmac_sha256/openssl"},
                               {"md5/kinesis", "md5/openssl"},
                               {"base64_encode/kinesis", "base64_encode/openssl"},
                               {"base64_decode/kinesis", "base64_decode/openssl"}});
}
