// SPDX-License-Identifier: Apache-2.0
// Fuzzes the reader of every non-2xx answer (JSON __type/message, XML <Error>, x-amzn-ErrorType):
// the first byte picks status and headers, the rest is the body.
#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/core/detail/json_reader.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using kinesis_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = kinesis::detail;
    kinesis_fuzz::FuzzInput input(data, size);
    const std::uint8_t choice = input.byte();
    static constexpr int statuses[] = {400, 403, 404, 409, 413, 429, 500, 503};
    static d::JsonParser parser;

    kinesis::HttpResponse response;
    response.status = statuses[choice & 7];
    if ((choice & 0x08) != 0) response.headers.push_back({"x-amzn-RequestId", "req-1"});
    if ((choice & 0x10) != 0) {
        response.headers.push_back({"x-amzn-ErrorType", input.text(80)});
    }
    response.body = kinesis_fuzz::answer_body(input.rest(), (choice & 0x20) != 0);

    const kinesis::Error error = d::extract_error(response, parser);
    require(error.http_status == response.status);
    require(error.kind == kinesis::ErrorKind::Service || error.kind == kinesis::ErrorKind::Throttled ||
            error.kind == kinesis::ErrorKind::Parse);
    // A 5xx stays retryable whatever its body says: Parse is for 4xx answers only.
    if (response.status >= 500) require(error.kind != kinesis::ErrorKind::Parse);
    if ((choice & 0x08) != 0) require(error.request_id == "req-1");
    (void)error.to_string();

    // A service may echo the secret back; the scrubbed text must not hold it.
    kinesis::Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = kinesis::SecretString(std::string("wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"));
    kinesis::Error scrubbed = error;
    d::scrub_error(scrubbed, credentials);
    require(scrubbed.message.find("wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY") == std::string::npos);
    return 0;
}
