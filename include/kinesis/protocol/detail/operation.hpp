// SPDX-License-Identifier: Apache-2.0
// What every operation shares once its body is written: the call, the answer
// read once with its request id, the async form, and the waiter loop.
#ifndef KINESIS_PROTOCOL_DETAIL_OPERATION_HPP
#define KINESIS_PROTOCOL_DETAIL_OPERATION_HPP

#include <kinesis/core/error.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/http/transport.hpp>
#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/protocol/waiter.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace kinesis::detail {

class JsonParser;

/// How an AWS JSON service is addressed: `X-Amz-Target: <target_prefix>.<Op>`,
/// `Content-Type: application/x-amz-json-<version>`.
struct JsonProtocol {
    std::string_view target_prefix;
    std::string_view version;
};

/// An answer that could not be read: its error gets the answer's HTTP status
/// and request id, so it can be reported to AWS support like a service error.
template <class T>
Result<T> with_answer_context(Result<T> parsed, const HttpResponse& response) {
    if (!parsed) {
        parsed.error().http_status = response.status;
        parsed.error().request_id = request_id_of(response);
    }
    return parsed;
}

/// No answer to read (operations that return nothing).
struct NoAnswer {
    Result<void> operator()(JsonParser&, const std::string&) const { return {}; }
};

/// The typed answer of a call: the transport or service error as it came,
/// else what `read(parser, body)` makes of the 2xx answer.
template <class T, class Read>
Result<T> read_answer(Result<HttpResponse> response, JsonParser& parser, const Read& read) {
    if (!response) return std::move(response).error();
    if constexpr (std::is_same_v<Read, NoAnswer>) {
        (void)parser;
        return {};
    } else {
        return with_answer_context<T>(read(parser, response->body), *response);
    }
}

/// Runs one JSON operation on the calling thread.
template <class T, class Read = NoAnswer>
Result<T> call_json(ServiceClient& service, const JsonProtocol& protocol, std::string_view operation,
                    std::string body, const Read& read = {}, CallReport* report = nullptr) {
    auto response = service.call(service.json_call(protocol.target_prefix, operation, protocol.version,
                                                   std::move(body)),
                                 report);
    return read_answer<T>(std::move(response), service.json_parser(), read);
}

/// Starts one JSON operation on the client's async loop; `done` runs there.
template <class T, class Read>
void start_json(ServiceClient& service, const JsonProtocol& protocol, std::string_view operation, std::string body,
                Read read, std::function<void(Result<T>, CallReport)> done) {
    service.start(service.json_call(protocol.target_prefix, operation, protocol.version, std::move(body)),
                  [&service, read = std::move(read), done = std::move(done)](Result<HttpResponse> response,
                                                                            CallReport report) {
                      done(read_answer<T>(std::move(response), service.async_json_parser(), read),
                           std::move(report));
                  });
}

/// Reports a failure through an async callback on a later turn of the loop,
/// never from inside the call that was given bad input.
template <class T>
void fail_later(ServiceClient& service, Error error, std::function<void(Result<T>, CallReport)> done) {
    service.loop().post([error = std::move(error), done = std::move(done)]() mutable {
        done(Result<T>(std::move(error)), CallReport{});
    });
}

/// What one poll of a waiter found.
template <class T>
struct WaitPoll {
    std::optional<T> done;        ///< set: the wait is over, with this value
    std::optional<Error> failed;  ///< set: the wait is over, with this error
    std::string state;            ///< otherwise: the state seen, for the timeout message
};

/// `<op>: <what> <last> after N attempts D ms apart` (ErrorKind::Timeout).
[[nodiscard]] KINESIS_DECL Error waiter_timeout(std::string_view op, std::string_view what, std::string_view last,
                                                const WaiterConfig& config);
/// `<op>: stopped while <what> <last>` (ErrorKind::Stopped).
[[nodiscard]] KINESIS_DECL Error waiter_stopped(std::string_view op, std::string_view what, std::string_view last);

/// The one waiter loop: `poll()` up to `config.max_attempts` times,
/// `config.delay` apart, each wait ended at once by the client's stop token
/// (ErrorKind::Stopped). A timeout says `<what> <last state> after N attempts
/// D ms apart`.
template <class T, class Poll>
Result<T> wait_until(ServiceClient& service, const WaiterConfig& config, std::string_view op, std::string_view what,
                     Poll poll) {
    if (config.max_attempts < 1) {
        return invalid_argument(std::string(op) + ": max_attempts must be at least 1");
    }
    std::string last = "never answered";
    for (int attempt = 1; attempt <= config.max_attempts; ++attempt) {
        WaitPoll<T> seen = poll();
        if (seen.failed) return std::move(*seen.failed);
        if (seen.done) return std::move(*seen.done);
        last = std::move(seen.state);
        if (attempt < config.max_attempts && !service.wait_for(config.delay)) {
            return waiter_stopped(op, what, last);
        }
    }
    return waiter_timeout(op, what, last, config);
}

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/protocol/detail/impl/operation.inl.hpp>
#endif

#endif  // KINESIS_PROTOCOL_DETAIL_OPERATION_HPP
