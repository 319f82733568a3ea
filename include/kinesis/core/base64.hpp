// SPDX-License-Identifier: Apache-2.0
// Base64 (RFC 4648, standard alphabet, padded): the form the AWS CLI prints record data in.
#ifndef KINESIS_CORE_BASE64_HPP
#define KINESIS_CORE_BASE64_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <string>
#include <string_view>

namespace kinesis {

/// The padded base64 (standard alphabet) of `bytes`. Thread-safe.
[[nodiscard]] KINESIS_DECL std::string base64_encode(std::string_view bytes);

/// The bytes of canonical padded base64: a length that is a multiple of 4,
/// only alphabet characters, '=' only as the last one or two, zero bits after
/// the last byte. Anything else is an InvalidArgument error naming what is wrong
/// and where, without echoing the input (records may hold secrets). Thread-safe.
[[nodiscard]] KINESIS_DECL Result<std::string> base64_decode(std::string_view text);

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/impl/base64.inl.hpp>
#endif

#endif  // KINESIS_CORE_BASE64_HPP
