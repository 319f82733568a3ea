// SPDX-License-Identifier: Apache-2.0
#include <kinesis/auth/sigv4.hpp>

#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/core/detail/uri.hpp>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

// The suite's case folders, listed explicitly so each gets its own TEST_CASE; a test below
// checks the lists against the folders on disk, so a case added or dropped there fails here.
#define KINESIS_SIGV4_V4_CASES(X)                 \
    X("get-header-key-duplicate")                 \
    X("get-header-value-multiline")               \
    X("get-header-value-order")                   \
    X("get-header-value-trim")                    \
    X("get-relative-normalized")                  \
    X("get-relative-relative-normalized")         \
    X("get-relative-relative-unnormalized")       \
    X("get-relative-unnormalized")                \
    X("get-slash-dot-slash-normalized")           \
    X("get-slash-dot-slash-unnormalized")         \
    X("get-slash-normalized")                     \
    X("get-slash-pointless-dot-normalized")       \
    X("get-slash-pointless-dot-unnormalized")     \
    X("get-slash-unnormalized")                   \
    X("get-slashes-normalized")                   \
    X("get-slashes-unnormalized")                 \
    X("get-space-normalized")                     \
    X("get-space-unnormalized")                   \
    X("get-unreserved")                           \
    X("get-utf8")                                 \
    X("get-vanilla")                              \
    X("get-vanilla-empty-query-key")              \
    X("get-vanilla-query")                        \
    X("get-vanilla-query-order-encoded")          \
    X("get-vanilla-query-order-key-case")         \
    X("get-vanilla-query-unreserved")             \
    X("get-vanilla-utf8-query")                   \
    X("get-vanilla-with-session-token")           \
    X("post-header-key-case")                     \
    X("post-header-key-sort")                     \
    X("post-header-value-case")                   \
    X("post-sts-header-after")                    \
    X("post-sts-header-before")                   \
    X("post-vanilla")                             \
    X("post-vanilla-empty-query-value")           \
    X("post-vanilla-query")                       \
    X("post-x-www-form-urlencoded")               \
    X("post-x-www-form-urlencoded-parameters")

#define KINESIS_SIGV4_GENERATED_CASES(X) \
    X("kinesis-putrecord")               \
    X("kinesis-putrecord-session-token") \
    X("firehose-putrecordbatch")         \
    X("sts-getcalleridentity")           \
    X("s3-putobject-special-key")        \
    X("s3-putobject-unsigned-payload")   \
    X("s3-listobjectsv2-query")          \
    X("s3-presigned-getobject")          \
    X("s3-doc-get-object-range")         \
    X("s3-putobject-dollar-key")         \
    X("s3-doc-get-bucket-lifecycle")     \
    X("s3-doc-list-objects")             \
    X("s3-doc-presigned-get")            \
    X("s3-doc-chunked-upload")

namespace {

using kinesis::Credentials;
using kinesis::HttpRequest;
using kinesis::SecretString;
using kinesis::SigningParams;
using Query = std::vector<std::pair<std::string, std::string>>;
using HeaderSet = std::multiset<std::pair<std::string, std::string>>;

const std::string suite_dir = std::string(KINESIS_TESTDATA_DIR) + "/sigv4";

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    // The upstream harness strips CR; so do we.
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
}

std::string str(simdjson::dom::element element) { return std::string(std::string_view(element)); }

bool file_exists(const std::string& path) { return std::filesystem::exists(path); }

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "a  b " -> "a b": how values are compared when a file's header order or spacing is not ours.
std::string collapse(std::string_view value) {
    std::string out;
    bool space = false;
    for (char c : value) {
        if (c == ' ' || c == '\t' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

Query parse_query(std::string_view text) {
    Query query;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto name = kinesis::detail::uri_decode(pair.substr(0, eq));
        auto value = kinesis::detail::uri_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        REQUIRE(name);
        REQUIRE(value);
        query.emplace_back(std::move(*name), std::move(*value));
    }
    return query;
}

// request.txt / *-signed-request.txt: request line, headers (folded lines unfolded), blank
// line, body. The path is kept as written; the query is decoded.
HttpRequest parse_request(const std::string& text) {
    HttpRequest request;
    request.headers.clear();
    std::size_t pos = text.find('\n');
    const std::string line = text.substr(0, pos);
    const auto first_space = line.find(' ');
    const auto http = line.rfind(" HTTP/");
    REQUIRE(first_space != std::string::npos);
    REQUIRE(http != std::string::npos);
    request.method = line.substr(0, first_space);
    const std::string target = line.substr(first_space + 1, http - first_space - 1);
    const auto question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) request.query = parse_query(std::string_view(target).substr(question + 1));
    while (pos != std::string::npos) {
        const std::size_t start = pos + 1;
        pos = text.find('\n', start);
        const std::string header_line = text.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
        if (header_line.empty()) {
            if (pos != std::string::npos) request.body = text.substr(pos + 1);
            break;
        }
        if (header_line[0] == ' ' || header_line[0] == '\t') {
            REQUIRE(!request.headers.empty());
            request.headers.back().value += " " + header_line;  // obsolete line folding
            continue;
        }
        const auto colon = header_line.find(':');
        REQUIRE(colon != std::string::npos);
        request.headers.push_back({header_line.substr(0, colon), header_line.substr(colon + 1)});
    }
    for (const auto& header : request.headers) {
        if (lower(header.name) == "host") request.host = collapse(header.value);
    }
    return request;
}

HeaderSet header_set(const HttpRequest& request, const std::set<std::string>& ignore = {}) {
    HeaderSet set;
    for (const auto& header : request.headers) {
        const auto name = lower(header.name);
        if (ignore.count(name) == 0) set.emplace(name, collapse(header.value));
    }
    return set;
}

std::multiset<std::pair<std::string, std::string>> query_set(const Query& query) {
    return {query.begin(), query.end()};
}

std::string header_value(const HttpRequest& request, std::string_view name) {
    for (const auto& header : request.headers) {
        if (lower(header.name) == lower(name)) return header.value;
    }
    return {};
}

std::string query_value(const Query& query, std::string_view name) {
    for (const auto& [n, v] : query) {
        if (n == name) return v;
    }
    return {};
}

struct SuiteCase {
    std::string dir;
    Credentials credentials;
    std::string region;
    std::string service;
    std::chrono::system_clock::time_point time;
    bool normalize = true;
    bool double_uri_encode = true;
    bool sign_body = false;            // v4: add and sign x-amz-content-sha256
    bool payload_hash_header = false;  // generated: S3's x-amz-content-sha256
    bool omit_session_token = false;
    std::chrono::seconds expires{3600};
    HttpRequest request;
};

SuiteCase load_case(const std::string& dir) {
    SuiteCase c;
    c.dir = dir;
    simdjson::dom::parser parser;
    const auto json = simdjson::padded_string(read_text(dir + "/context.json"));
    simdjson::dom::element context = parser.parse(json);
    c.credentials.access_key_id = str(context["credentials"]["access_key_id"]);
    c.credentials.secret_access_key =
        SecretString(str(context["credentials"]["secret_access_key"]));
    std::string_view token;
    if (context["credentials"]["token"].get(token) == simdjson::SUCCESS) {
        c.credentials.session_token = SecretString(std::string(token));
    }
    c.region = str(context["region"]);
    c.service = str(context["service"]);
    c.time = kinesis::detail::parse_iso8601(std::string_view(context["timestamp"])).value();
    c.normalize = bool(context["normalize"]);
    bool flag = false;
    if (context["double_uri_encode"].get(flag) == simdjson::SUCCESS) c.double_uri_encode = flag;
    if (context["sign_body"].get(flag) == simdjson::SUCCESS) c.sign_body = flag;
    if (context["omit_session_token"].get(flag) == simdjson::SUCCESS) c.omit_session_token = flag;
    std::string_view payload_header;
    c.payload_hash_header = context["payload_hash_header"].get(payload_header) == simdjson::SUCCESS;
    std::int64_t expires = 0;
    if (context["expiration_in_seconds"].get(expires) == simdjson::SUCCESS) c.expires = std::chrono::seconds(expires);
    c.request = parse_request(read_text(dir + "/request.txt"));
    return c;
}

SigningParams params_for(const SuiteCase& c, bool query_form) {
    SigningParams params;
    params.region = c.region;
    params.service = c.service;
    params.time = c.time;
    params.normalize_path = c.normalize;
    params.double_uri_encode = c.double_uri_encode;
    params.omit_session_token = c.omit_session_token;
    params.expires = c.expires;
    params.add_content_sha256_header = !query_form && (c.sign_body || c.payload_hash_header);
    // S3 presigned URLs do not sign the body (the generated S3 query cases say so in their note);
    // the upstream query cases hash the body like the header ones.
    if (query_form && c.payload_hash_header) params.payload_hash = kinesis::unsigned_payload;
    return params;
}

// Signs one case in one form and compares every step with the expected files.
void check_form(const SuiteCase& c, const std::string& form) {
    const bool query_form = form == "query";
    CAPTURE(c.dir);
    CAPTURE(form);
    const SigningParams params = params_for(c, query_form);
    HttpRequest request = c.request;
    kinesis::Signer signer;
    if (query_form) {
        signer.presign(request, c.credentials, params);
    } else {
        signer.sign(request, c.credentials, params);
    }
    const std::string expected_creq = read_text(c.dir + "/" + form + "-canonical-request.txt");
    const std::string expected_sts = read_text(c.dir + "/" + form + "-string-to-sign.txt");
    const std::string expected_signature = read_text(c.dir + "/" + form + "-signature.txt");

    // The signer's own steps, byte for byte.
    CHECK(signer.last_canonical_request() == expected_creq);
    CHECK(signer.last_string_to_sign() == expected_sts);

    // The pure steps, from the request as sent minus what is added after signing.
    HttpRequest unsigned_view = request;
    if (query_form) {
        auto& q = unsigned_view.query;
        q.erase(std::remove_if(q.begin(), q.end(),
                               [&](const auto& p) {
                                   return p.first == "X-Amz-Signature" ||
                                          (c.omit_session_token && p.first == "X-Amz-Security-Token");
                               }),
                q.end());
    } else {
        auto& h = unsigned_view.headers;
        h.erase(std::remove_if(h.begin(), h.end(),
                               [&](const auto& header) {
                                   const auto name = lower(header.name);
                                   return name == "authorization" ||
                                          (c.omit_session_token && name == "x-amz-security-token");
                               }),
                h.end());
    }
    const std::string hash = kinesis::payload_hash(c.request.body, params);
    const std::string creq = kinesis::canonical_request(unsigned_view, params, hash);
    CHECK(creq == expected_creq);
    const std::string scope = kinesis::credential_scope(c.time, c.region, c.service);
    const std::string sts = kinesis::string_to_sign(c.time, scope, creq);
    CHECK(sts == expected_sts);
    const auto key = kinesis::derive_signing_key(c.credentials.secret_access_key.view(), c.time, c.region, c.service);
    CHECK(kinesis::signature(key, expected_sts) == expected_signature);

    // The signed request, compared by meaning.
    const HttpRequest expected = parse_request(read_text(c.dir + "/" + form + "-signed-request.txt"));
    CHECK(request.method == expected.method);
    CHECK(request.path == expected.path);
    CHECK(query_set(request.query) == query_set(expected.query));
    // botocore's transport adds Content-Length after signing; it is not the signer's to add.
    std::set<std::string> ignore;
    if (header_value(c.request, "content-length").empty()) ignore.insert("content-length");
    CHECK(header_set(request) == header_set(expected, ignore));
    if (query_form) {
        CHECK(query_value(request.query, "X-Amz-Signature") == expected_signature);
    } else {
        CHECK(header_value(request, "authorization") == header_value(expected, "authorization"));
        const std::string auth = header_value(request, "authorization");
        CHECK(auth.substr(auth.size() - 64) == expected_signature);
        CHECK(kinesis::authorization_header(c.credentials.access_key_id, scope, kinesis::signed_headers(unsigned_view),
                                            expected_signature) == header_value(expected, "authorization"));
    }
    // The secret itself never reaches the request.
    const std::string secret(c.credentials.secret_access_key.view());
    for (const auto& header : request.headers) CHECK(header.value.find(secret) == std::string::npos);
    for (const auto& [name, value] : request.query) CHECK(value.find(secret) == std::string::npos);
}

void check_v4_case(const std::string& name) {
    const SuiteCase c = load_case(suite_dir + "/v4/" + name);
    check_form(c, "header");
    check_form(c, "query");
}

void check_generated_case(const std::string& name) {
    const std::string dir = suite_dir + "/generated/" + name;
    const SuiteCase c = load_case(dir);
    const bool header = file_exists(dir + "/header-signature.txt");
    const bool query = file_exists(dir + "/query-signature.txt");
    REQUIRE((header || query));
    if (header) check_form(c, "header");
    if (query) check_form(c, "query");
}

// aws-chunked upload (S3 streaming): the seed request is signed like any other, then each
// chunk's string to sign chains on the previous signature.
void check_chunked_upload() {
    simdjson::dom::parser parser;
    const auto json = simdjson::padded_string(read_text(suite_dir + "/generated/s3-doc-chunked-upload/vector.json"));
    simdjson::dom::element v = parser.parse(json);
    Credentials credentials;
    credentials.access_key_id = str(v["credentials"]["access_key_id"]);
    credentials.secret_access_key = SecretString(str(v["credentials"]["secret_access_key"]));
    const std::string timestamp = str(v["timestamp"]);
    // "20130524T000000Z" -> ISO-8601 extended.
    const auto time = kinesis::detail::parse_iso8601(timestamp.substr(0, 4) + "-" + timestamp.substr(4, 2) + "-" +
                                                     timestamp.substr(6, 2) + "T" + timestamp.substr(9, 2) + ":" +
                                                     timestamp.substr(11, 2) + ":" + timestamp.substr(13, 2) + "Z")
                          .value();
    const std::string region = str(v["region"]);
    const std::string service = str(v["service"]);
    HttpRequest request;
    request.method = str(v["method"]);
    request.path = str(v["path"]);
    for (auto field : simdjson::dom::object(v["headers"])) {
        request.headers.push_back({std::string(field.key), std::string(std::string_view(field.value))});
        if (field.key == "host") request.host = std::string(std::string_view(field.value));
    }
    SigningParams params;
    params.region = region;
    params.service = service;
    params.time = time;
    params.double_uri_encode = false;
    params.normalize_path = false;
    params.payload_hash = kinesis::streaming_payload;
    kinesis::Signer signer;
    signer.sign(request, credentials, params);
    CHECK(signer.last_canonical_request() == std::string_view(v["canonical_request"]));
    CHECK(signer.last_string_to_sign() == std::string_view(v["string_to_sign"]));
    const std::string seed = str(v["seed_signature"]);
    CHECK(header_value(request, "authorization") == std::string_view(v["authorization"]));

    const std::string scope = kinesis::credential_scope(time, region, service);
    const auto key = kinesis::derive_signing_key(credentials.secret_access_key.view(), time, region, service);
    std::string previous = seed;
    std::size_t chunks = 0;
    for (auto chunk : simdjson::dom::array(v["chunks"])) {
        const auto size = static_cast<std::size_t>(std::int64_t(chunk["chunk_size"]));
        CAPTURE(size);
        const std::string data(size, 'a');
        const std::string sts = kinesis::chunk_string_to_sign(time, scope, previous, data);
        CHECK(sts == std::string_view(chunk["chunk_string_to_sign"]));
        const std::string sig = kinesis::signature(key, sts);
        CHECK(sig == std::string_view(chunk["chunk_signature"]));
        CHECK(fmt::format("{:x};chunk-signature={}", size, sig) == std::string_view(chunk["chunk_header_line"]));
        previous = sig;
        ++chunks;
    }
    CHECK(chunks == 3);
}

std::set<std::string> folders(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.is_directory()) names.insert(entry.path().filename().string());
    }
    return names;
}

#define KINESIS_NAME_ITEM(name) name,
const char* const v4_cases[] = {KINESIS_SIGV4_V4_CASES(KINESIS_NAME_ITEM)};
const char* const generated_cases[] = {KINESIS_SIGV4_GENERATED_CASES(KINESIS_NAME_ITEM)};

Credentials test_credentials(std::string secret, std::string token = {}) {
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = SecretString(std::move(secret));
    credentials.session_token = SecretString(std::move(token));
    return credentials;
}

HttpRequest put_record_request(std::string host) {
    HttpRequest request;
    request.host = std::move(host);
    request.headers = {{"X-Amz-Target", "Kinesis_20131202.PutRecord"},
                       {"Content-Type", "application/x-amz-json-1.1"}};
    request.body = R"({"StreamName":"my-stream","Data":"aGVsbG8=","PartitionKey":"pk-1"})";
    return request;
}

// The signature of an already signed request, recomputed from scratch with the pure steps.
std::string uncached_signature(const HttpRequest& signed_request, const Credentials& credentials,
                               const SigningParams& params) {
    HttpRequest unsigned_view = signed_request;
    auto& h = unsigned_view.headers;
    h.erase(std::remove_if(h.begin(), h.end(), [](const auto& header) { return lower(header.name) == "authorization"; }),
            h.end());
    const auto creq = kinesis::canonical_request(unsigned_view, params, kinesis::payload_hash(signed_request.body, params));
    const auto sts = kinesis::string_to_sign(params.time, kinesis::credential_scope(params.time, params.region, params.service), creq);
    return kinesis::signature(
        kinesis::derive_signing_key(credentials.secret_access_key.view(), params.time, params.region, params.service), sts);
}

std::string signature_of(const HttpRequest& request) {
    const std::string auth = header_value(request, "authorization");
    REQUIRE(auth.size() > 64);
    return auth.substr(auth.size() - 64);
}

}  // namespace

#define KINESIS_V4_TEST(name) \
    TEST_CASE("sigv4 suite v4/" name) { check_v4_case(name); }
KINESIS_SIGV4_V4_CASES(KINESIS_V4_TEST)

#define KINESIS_GENERATED_TEST(name)                        \
    TEST_CASE("sigv4 suite generated/" name) {              \
        if (std::string_view(name) == "s3-doc-chunked-upload") { \
            check_chunked_upload();                         \
        } else {                                            \
            check_generated_case(name);                     \
        }                                                   \
    }
KINESIS_SIGV4_GENERATED_CASES(KINESIS_GENERATED_TEST)

TEST_CASE("the sigv4 case lists cover every folder of the v4 and generated suites") {
    const std::set<std::string> listed_v4(std::begin(v4_cases), std::end(v4_cases));
    CHECK(listed_v4.size() == std::size(v4_cases));  // no name listed twice
    CHECK(listed_v4 == folders(suite_dir + "/v4"));
    CHECK(listed_v4.size() == 38);
    const std::set<std::string> listed_generated(std::begin(generated_cases), std::end(generated_cases));
    CHECK(listed_generated.size() == std::size(generated_cases));
    CHECK(listed_generated == folders(suite_dir + "/generated"));
    CHECK(listed_generated.size() == 14);
    // index.json names the same cases.
    simdjson::dom::parser parser;
    const auto json = simdjson::padded_string(read_text(suite_dir + "/generated/index.json"));
    std::set<std::string> indexed;
    for (auto item : simdjson::dom::array(parser.parse(json))) indexed.insert(std::string(std::string_view(item["name"])));
    CHECK(indexed == listed_generated);
}

TEST_CASE("derive_signing_key matches the key AWS documents for its IAM example") {
    // docs.aws.amazon.com, "Examples of how to derive a signing key for Signature Version 4".
    const auto time = kinesis::detail::parse_iso8601("2012-02-15T00:00:00Z").value();
    const auto key = kinesis::derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", time, "us-east-1", "iam");
    CHECK(kinesis::detail::to_hex(key.data(), key.size()) ==
          "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST_CASE("the signing-key cache signs like an uncached derivation across dates, regions and services") {
    kinesis::Signer signer;
    const Credentials credentials = test_credentials("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    const auto base = kinesis::detail::parse_iso8601("2015-08-30T12:36:00Z").value();
    std::size_t signed_count = 0;
    for (int round = 0; round < 2; ++round) {
        for (int day = 0; day < 3; ++day) {
            for (const char* region : {"us-east-1", "eu-west-1", "ap-southeast-2"}) {
                for (const char* service : {"kinesis", "firehose"}) {
                    SigningParams params;
                    params.region = region;
                    params.service = service;
                    // Several requests on the same day: the later ones reuse the key.
                    params.time = base + std::chrono::hours(24 * day) + std::chrono::minutes(7 * round);
                    HttpRequest request = put_record_request(std::string(service) + "." + region + ".amazonaws.com");
                    signer.sign(request, credentials, params);
                    CAPTURE(region);
                    CAPTURE(service);
                    CHECK(signature_of(request) == uncached_signature(request, credentials, params));
                    ++signed_count;
                }
            }
        }
    }
    CHECK(signed_count == 36);
    // 18 combinations, each derived once per round: the cache holds only 4, so the second
    // round misses again; the point is that every signature is right either way.
    CHECK(signer.key_derivations() <= 36);

    kinesis::Signer steady;
    SigningParams params;
    params.region = "us-east-1";
    params.service = "kinesis";
    params.time = base;
    for (int i = 0; i < 10; ++i) {
        HttpRequest request = put_record_request("kinesis.us-east-1.amazonaws.com");
        params.time = base + std::chrono::seconds(i);
        steady.sign(request, credentials, params);
        CHECK(signature_of(request) == uncached_signature(request, credentials, params));
    }
    CHECK(steady.key_derivations() == 1);
    params.time = base + std::chrono::hours(24);  // a new day needs a new key
    HttpRequest next_day = put_record_request("kinesis.us-east-1.amazonaws.com");
    steady.sign(next_day, credentials, params);
    CHECK(steady.key_derivations() == 2);
    CHECK(signature_of(next_day) == uncached_signature(next_day, credentials, params));
}

TEST_CASE("the signing-key cache never serves a key derived from an older secret of the same key id") {
    kinesis::Signer signer;
    SigningParams params;
    params.region = "us-east-1";
    params.service = "kinesis";
    params.time = kinesis::detail::parse_iso8601("2015-08-30T12:36:00Z").value();
    const Credentials first = test_credentials("first-secret");
    const Credentials second = test_credentials("second-secret");  // same access key id

    HttpRequest a = put_record_request("kinesis.us-east-1.amazonaws.com");
    signer.sign(a, first, params);
    HttpRequest b = put_record_request("kinesis.us-east-1.amazonaws.com");
    signer.sign(b, second, params);
    CHECK(signature_of(a) == uncached_signature(a, first, params));
    CHECK(signature_of(b) == uncached_signature(b, second, params));
    CHECK(signature_of(a) != signature_of(b));
    HttpRequest c = put_record_request("kinesis.us-east-1.amazonaws.com");
    signer.sign(c, first, params);
    CHECK(signature_of(c) == signature_of(a));
    CHECK(signer.key_derivations() == 3);
}

TEST_CASE("signing again replaces the X-Amz headers instead of adding more") {
    kinesis::Signer signer;
    SigningParams params;
    params.region = "us-east-1";
    params.service = "kinesis";
    params.time = kinesis::detail::parse_iso8601("2015-08-30T12:36:00Z").value();
    HttpRequest request = put_record_request("kinesis.us-east-1.amazonaws.com");
    signer.sign(request, test_credentials("secret", "token-1"), params);
    const std::size_t headers = request.headers.size();
    params.time += std::chrono::seconds(30);
    signer.sign(request, test_credentials("secret", "token-2"), params);  // a retry with refreshed credentials
    CHECK(request.headers.size() == headers);
    CHECK(header_value(request, "x-amz-date") == "20150830T123630Z");
    CHECK(header_value(request, "x-amz-security-token") == "token-2");
    CHECK(signature_of(request) == uncached_signature(request, test_credentials("secret", "token-2"), params));
    signer.sign(request, test_credentials("secret"), params);  // long-term keys: the token goes
    CHECK(header_value(request, "x-amz-security-token").empty());

    HttpRequest presigned;
    presigned.method = "GET";
    presigned.host = "example.amazonaws.com";
    presigned.query = {{"Action", "ListStreams"}};
    signer.presign(presigned, test_credentials("secret", "token"), params);
    const std::size_t parameters = presigned.query.size();
    signer.presign(presigned, test_credentials("secret", "token"), params);
    CHECK(presigned.query.size() == parameters);
    CHECK(parameters == 8);
}

TEST_CASE("authorization, user-agent, expect and x-amzn-trace-id are sent but not signed") {
    kinesis::Signer signer;
    SigningParams params;
    params.region = "us-east-1";
    params.service = "kinesis";
    params.time = kinesis::detail::parse_iso8601("2015-08-30T12:36:00Z").value();
    HttpRequest request = put_record_request("kinesis.us-east-1.amazonaws.com");
    request.headers.push_back({"User-Agent", "kinesis-cpp/0.1"});
    request.headers.push_back({"Expect", "100-continue"});
    request.headers.push_back({"X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793"});
    request.headers.push_back({"X-Custom", "  a   b  "});
    signer.sign(request, test_credentials("secret"), params);
    CHECK(kinesis::signed_headers(request) == "content-type;host;x-amz-date;x-amz-target;x-custom");
    CHECK(header_value(request, "authorization").find("SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-custom,") !=
          std::string::npos);
    CHECK(signer.last_canonical_request().find("x-custom:a b\n") != std::string::npos);
    CHECK(header_value(request, "user-agent") == "kinesis-cpp/0.1");
    CHECK(kinesis::is_signed_header("Content-Type"));
    CHECK_FALSE(kinesis::is_signed_header("AUTHORIZATION"));
}

TEST_CASE("the payload hash is the one value in both x-amz-content-sha256 and the canonical request") {
    kinesis::Signer signer;
    SigningParams params;
    params.region = "us-east-1";
    params.service = "s3";
    params.time = kinesis::detail::parse_iso8601("2015-08-30T12:36:00Z").value();
    params.double_uri_encode = false;
    params.normalize_path = false;
    params.add_content_sha256_header = true;
    HttpRequest request;
    request.method = "PUT";
    request.host = "my-bucket.s3.us-east-1.amazonaws.com";
    request.path = "/dir%20a/key";
    request.body = "hello kinesis";
    signer.sign(request, test_credentials("secret"), params);
    const std::string hash = header_value(request, "x-amz-content-sha256");
    const auto digest = kinesis::detail::sha256(request.body);
    CHECK(hash == kinesis::detail::to_hex(digest.data(), digest.size()));
    const std::string_view creq = signer.last_canonical_request();
    CHECK(creq.substr(creq.size() - 64) == hash);
    CHECK(creq.find("\n/dir%20a/key\n") != std::string::npos);  // S3: the path is encoded once

    params.payload_hash = kinesis::unsigned_payload;
    signer.sign(request, test_credentials("secret"), params);
    CHECK(header_value(request, "x-amz-content-sha256") == "UNSIGNED-PAYLOAD");
    CHECK(signer.last_canonical_request().substr(signer.last_canonical_request().size() - 16) == "UNSIGNED-PAYLOAD");
}

TEST_CASE("canonical_uri encodes each segment once more and normalises only when asked") {
    SigningParams params;
    CHECK(kinesis::canonical_uri("/dir%20a/./b//c", params) == "/dir%2520a/b/c");
    CHECK(kinesis::canonical_uri("", params) == "/");
    params.normalize_path = false;
    CHECK(kinesis::canonical_uri("/dir%20a/./b//c", params) == "/dir%2520a/./b//c");
    params.double_uri_encode = false;
    CHECK(kinesis::canonical_uri("/dir%20a/./b//c", params) == "/dir%20a/./b//c");
    CHECK(kinesis::canonical_query_string({{"b", "2"}, {"a", "x y"}, {"a", "+"}, {"c", ""}}) ==
          "a=%2B&a=x%20y&b=2&c=");
}
