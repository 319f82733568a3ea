// SPDX-License-Identifier: Apache-2.0
// Definitions for firehose/firehose_client.hpp.
#ifndef KINESIS_FIREHOSE_IMPL_FIREHOSE_CLIENT_INL_HPP
#define KINESIS_FIREHOSE_IMPL_FIREHOSE_CLIENT_INL_HPP

#include <kinesis/firehose/firehose_client.hpp>

#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/firehose/detail/wire.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/protocol/detail/operation.hpp>
#include <kinesis/protocol/detail/service_client.hpp>

#include <fmt/core.h>

#include <utility>

namespace kinesis {

namespace detail::firehose_impl {

inline constexpr detail::ServiceInfo service{"firehose", "FIREHOSE", "firehose"};

inline constexpr JsonProtocol json{firehose_target_prefix, firehose_json_version};

template <class T>
inline Result<T> with_request_id(Result<T> parsed, const HttpResponse& response) {
    return with_answer_context<T>(std::move(parsed), response);
}

inline Error waiter_failure(ErrorKind kind, std::string code, std::string message) {
    Error error;
    error.kind = kind;
    error.code = std::move(code);
    error.message = std::move(message);
    return error;
}

inline std::optional<Error> check_waiter(std::string_view op, const std::string& name, const WaiterConfig& waiter) {
    if (auto error = detail::check_delivery_stream_name(op, "delivery_stream_name", name)) return error;
    if (waiter.max_attempts < 1) {
        return invalid_argument(fmt::format("{}: max_attempts is {}; it must be at least 1", op, waiter.max_attempts));
    }
    return std::nullopt;
}

}  // namespace detail::firehose_impl

KINESIS_DECL FirehoseClient::FirehoseClient(const ClientConfig& config)
    : service_(std::make_unique<detail::ServiceClient>(config, detail::firehose_impl::service)) {}

KINESIS_DECL FirehoseClient::~FirehoseClient() = default;
KINESIS_DECL FirehoseClient::FirehoseClient(FirehoseClient&&) noexcept = default;
KINESIS_DECL FirehoseClient& FirehoseClient::operator=(FirehoseClient&&) noexcept = default;

KINESIS_DECL const std::string& FirehoseClient::region() const noexcept { return service_->region(); }
KINESIS_DECL const std::string& FirehoseClient::endpoint() const noexcept { return service_->endpoint(); }

KINESIS_DECL Result<std::string> FirehoseClient::create_delivery_stream(const CreateDeliveryStreamRequest& request) {
    if (auto error = detail::check_create_delivery_stream(request)) return std::move(*error);
    std::string body;
    detail::write_create_delivery_stream(request, body);
    return detail::call_json<std::string>(*service_, detail::firehose_impl::json, "CreateDeliveryStream", std::move(body),
                                       detail::parse_create_delivery_stream);
}

KINESIS_DECL Result<DeliveryStreamDescription> FirehoseClient::describe_delivery_stream(const std::string& name) {
    if (auto error = detail::check_delivery_stream_name("describe_delivery_stream", "delivery_stream_name", name)) {
        return std::move(*error);
    }
    std::string body;
    detail::write_delivery_stream_name(name, body);
    return detail::call_json<DeliveryStreamDescription>(*service_, detail::firehose_impl::json, "DescribeDeliveryStream", std::move(body),
                                       detail::parse_describe_delivery_stream);
}

KINESIS_DECL Result<ListDeliveryStreamsResult> FirehoseClient::list_delivery_streams(
    const ListDeliveryStreamsRequest& request) {
    if (auto error = detail::check_list_delivery_streams(request)) return std::move(*error);
    std::string body;
    detail::write_list_delivery_streams(request, body);
    return detail::call_json<ListDeliveryStreamsResult>(*service_, detail::firehose_impl::json, "ListDeliveryStreams", std::move(body),
                                       detail::parse_list_delivery_streams);
}

KINESIS_DECL Result<std::vector<std::string>> FirehoseClient::list_all_delivery_streams(
    std::optional<DeliveryStreamType> type) {
    std::vector<std::string> names;
    ListDeliveryStreamsRequest request;
    request.delivery_stream_type = type;
    for (;;) {
        auto page = list_delivery_streams(request);
        if (!page) return std::move(page).error();
        for (auto& name : page->delivery_stream_names) names.push_back(std::move(name));
        // An empty page that claims more would loop forever: stop there.
        if (!page->has_more_delivery_streams || page->delivery_stream_names.empty()) break;
        request.exclusive_start_delivery_stream_name = names.back();
    }
    return names;
}

KINESIS_DECL Result<void> FirehoseClient::delete_delivery_stream(const std::string& name, bool allow_force_delete) {
    if (auto error = detail::check_delivery_stream_name("delete_delivery_stream", "delivery_stream_name", name)) {
        return std::move(*error);
    }
    std::string body;
    detail::write_delete_delivery_stream(name, allow_force_delete, body);
    return detail::call_json<void>(*service_, detail::firehose_impl::json, "DeleteDeliveryStream", std::move(body));
}

// No waiters-2.json ships for Firehose in botocore: these poll DescribeDeliveryStream as the
// Kinesis StreamExists / StreamNotExists waiters poll DescribeStream.
KINESIS_DECL Result<DeliveryStreamDescription> FirehoseClient::wait_until_active(const std::string& name,
                                                                               WaiterConfig waiter) {
    constexpr std::string_view op = "wait_until_active";
    if (auto error = detail::firehose_impl::check_waiter(op, name, waiter)) return std::move(*error);
    return detail::wait_until<DeliveryStreamDescription>(
        *service_, waiter, op, fmt::format("delivery stream {}", name), [&]() {
            detail::WaitPoll<DeliveryStreamDescription> seen;
            auto description = describe_delivery_stream(name);
            if (!description) {
                seen.failed = std::move(description).error();
                return seen;
            }
            const auto status = description->delivery_stream_status;
            if (status == DeliveryStreamStatus::Active) {
                seen.done = std::move(*description);
            } else if (status == DeliveryStreamStatus::CreatingFailed ||
                       status == DeliveryStreamStatus::DeletingFailed || status == DeliveryStreamStatus::Deleting) {
                seen.failed = detail::firehose_impl::waiter_failure(
                    ErrorKind::Service, std::string(to_string(status)),
                    fmt::format("{}: delivery stream {} is {}; it will not become ACTIVE", op, name,
                                to_string(status)));
            } else {
                seen.state = fmt::format("is still {}", to_string(status));
            }
            return seen;
        });
}

KINESIS_DECL Result<void> FirehoseClient::wait_until_deleted(const std::string& name, WaiterConfig waiter) {
    constexpr std::string_view op = "wait_until_deleted";
    if (auto error = detail::firehose_impl::check_waiter(op, name, waiter)) return std::move(*error);
    auto gone = detail::wait_until<bool>(
        *service_, waiter, op, fmt::format("delivery stream {}", name), [&]() {
            detail::WaitPoll<bool> seen;
            auto description = describe_delivery_stream(name);
            if (!description) {
                if (description.error().code == "ResourceNotFoundException") {
                    seen.done = true;
                } else {
                    seen.failed = std::move(description).error();
                }
                return seen;
            }
            const auto status = description->delivery_stream_status;
            if (status == DeliveryStreamStatus::DeletingFailed) {
                seen.failed = detail::firehose_impl::waiter_failure(
                    ErrorKind::Service, std::string(to_string(status)),
                    fmt::format("{}: delivery stream {} is DELETING_FAILED", op, name));
            } else {
                seen.state = fmt::format("still exists ({})", to_string(status));
            }
            return seen;
        });
    if (!gone) return std::move(gone).error();
    return {};
}

KINESIS_DECL Result<FirehosePutRecordResult> FirehoseClient::put_record(const std::string& name,
                                                                        std::string_view data) {
    if (auto error = detail::check_firehose_put_record(name, data)) return std::move(*error);
    put_body_.clear();
    put_body_.reserve(64 + name.size() + detail::base64_encoded_size(data.size()));
    detail::write_firehose_put_record(name, data, put_body_);
    auto response = service_->call_json_borrowing(detail::firehose_target_prefix, "PutRecord",
                                                  detail::firehose_json_version, put_body_);
    if (!response) return std::move(response).error();
    return detail::firehose_impl::with_request_id(detail::parse_firehose_put_record(service_->json_parser(), response->body),
                                          *response);
}

KINESIS_DECL Result<PutRecordBatchResult> FirehoseClient::put_record_batch(const std::string& name,
                                                                           const std::vector<std::string>& records) {
    if (auto error = detail::check_put_record_batch(name, records)) return std::move(*error);
    // One pass into the reused buffer, grown to the exact size at most once;
    // ServiceClient hashes it once for every attempt and sends it without copying.
    put_body_.clear();
    put_body_.reserve(detail::put_record_batch_body_size(name, records));
    detail::write_put_record_batch(name, records, put_body_);
    auto response = service_->call_json_borrowing(detail::firehose_target_prefix, "PutRecordBatch",
                                                  detail::firehose_json_version, put_body_);
    if (!response) return std::move(response).error();
    auto parsed = detail::parse_put_record_batch(service_->json_parser(), response->body);
    if (parsed && parsed->request_responses.size() != records.size()) {
        Error error;
        error.kind = ErrorKind::Parse;
        error.message = fmt::format("PutRecordBatch response has {} result entries for {} records",
                                    parsed->request_responses.size(), records.size());
        return detail::firehose_impl::with_request_id(Result<PutRecordBatchResult>(std::move(error)), *response);
    }
    return detail::firehose_impl::with_request_id(std::move(parsed), *response);
}

}  // namespace kinesis

#endif  // KINESIS_FIREHOSE_IMPL_FIREHOSE_CLIENT_INL_HPP
