// SPDX-License-Identifier: Apache-2.0
// What every fuzz target shares: reading choices out of the input, and a check that traps.
#ifndef KINESIS_TESTS_FUZZ_FUZZ_INPUT_HPP
#define KINESIS_TESTS_FUZZ_FUZZ_INPUT_HPP

#include <kinesis/core/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis_fuzz {

// A trap, not an assert: it fires in every build type, and libFuzzer reports
// it as a crash with the input that caused it.
inline void require(bool condition) {
    if (!condition) __builtin_trap();
}

/// A reader answer that failed must say so as a Parse error, never as another kind.
template <class R>
void require_parse_error_on_failure(const R& result) {
    if (!result) require(result.error().kind == kinesis::ErrorKind::Parse);
}

/// Takes bytes off the front of the fuzz input; running out gives zeros and empty strings,
/// so every input, however short, decodes to some request.
class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    [[nodiscard]] std::uint8_t byte() {
        if (rest_.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(rest_.front());
        rest_.remove_prefix(1);
        return b;
    }
    /// A string of up to `max` bytes, its length taken from the input first.
    [[nodiscard]] std::string text(std::size_t max = 64) {
        const std::size_t n = std::min<std::size_t>(byte() % (max + 1), rest_.size());
        std::string out(rest_.substr(0, n));
        rest_.remove_prefix(n);
        return out;
    }
    /// Everything not taken yet.
    [[nodiscard]] std::string_view rest() const noexcept { return rest_; }
    [[nodiscard]] bool empty() const noexcept { return rest_.empty(); }

private:
    std::string_view rest_;
};

/// The body as the transport hands it over: a random choice between a buffer
/// with room for simdjson's padding past size() (parsed in place) and one without (copied).
inline std::string answer_body(std::string_view bytes, bool padded) {
    std::string body;
    if (padded) body.reserve(bytes.size() + 64);
    body.assign(bytes);
    return body;
}

/// What the JSON answer targets take: the first byte picks the reader (its top
/// bit, the body's padding), the rest is the body.
struct AnswerInput {
    std::uint8_t choice = 0;
    std::string body;
};
inline AnswerInput answer_input(const std::uint8_t* data, std::size_t size) {
    FuzzInput input(data, size);
    const std::uint8_t choice = input.byte();
    return {choice, answer_body(input.rest(), (choice & 0x80) != 0)};
}

}  // namespace kinesis_fuzz

#endif  // KINESIS_TESTS_FUZZ_FUZZ_INPUT_HPP
