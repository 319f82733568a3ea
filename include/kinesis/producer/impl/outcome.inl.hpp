// SPDX-License-Identifier: Apache-2.0
#include <kinesis/producer/detail/outcome_state.hpp>

namespace kinesis {

namespace detail {
inline const std::string& empty_string() noexcept {
    static const std::string empty;
    return empty;
}
}  // namespace detail

KINESIS_DECL const std::string& PutOutcome::shard_id() const noexcept {
    return put_ ? put_->shard_id : detail::empty_string();
}

KINESIS_DECL const std::string& PutOutcome::sequence_number() const noexcept {
    return put_ ? put_->sequence_number : detail::empty_string();
}

KINESIS_DECL const Error& PutOutcome::error() const {
    if (!error_) throw Exception(invalid_argument("PutOutcome::error(): the record was written; check ok() first"));
    return *error_;
}

KINESIS_DECL std::vector<PutAttempt> PutOutcome::attempts() const {
    std::vector<PutAttempt> all = failed_attempts_;
    if (put_) all.push_back(put_->attempt);
    return all;
}

KINESIS_DECL std::size_t PutOutcome::attempt_count() const noexcept {
    return failed_attempts_.size() + (put_ ? 1 : 0);
}

KINESIS_DECL bool PutHandle::ready() const {
    if (!state_) return false;
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->outcome.has_value();
}

KINESIS_DECL const PutOutcome& PutHandle::get() const {
    if (!state_) throw Exception(invalid_argument("PutHandle::get(): an empty handle"));
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->resolved_cv.wait(lock, [this] { return state_->outcome.has_value(); });
    return *state_->outcome;
}

KINESIS_DECL bool PutHandle::wait_for(std::chrono::milliseconds timeout) const {
    if (!state_) return false;
    std::unique_lock<std::mutex> lock(state_->mutex);
    return state_->resolved_cv.wait_for(lock, timeout, [this] { return state_->outcome.has_value(); });
}

KINESIS_DECL bool FlushHandle::done() const {
    if (!state_) return false;
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->done;
}

KINESIS_DECL FlushResult FlushHandle::wait() const {
    if (!state_) throw Exception(invalid_argument("FlushHandle::wait(): an empty handle"));
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->done_cv.wait(lock, [this] { return state_->done; });
    return state_->result;
}

KINESIS_DECL std::optional<FlushResult> FlushHandle::wait_for(std::chrono::milliseconds timeout) const {
    if (!state_) return std::nullopt;
    std::unique_lock<std::mutex> lock(state_->mutex);
    if (!state_->done_cv.wait_for(lock, timeout, [this] { return state_->done; })) return std::nullopt;
    return state_->result;
}

}  // namespace kinesis
