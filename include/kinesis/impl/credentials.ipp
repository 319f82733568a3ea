// SPDX-License-Identifier: Apache-2.0
// Definitions for credentials.hpp.
#ifndef KINESIS_IMPL_CREDENTIALS_IPP
#define KINESIS_IMPL_CREDENTIALS_IPP

#include <kinesis/credentials.hpp>

#include <openssl/crypto.h>

namespace kinesis::detail {

KINESIS_DECL void secure_wipe(void* data, std::size_t size) noexcept {
    OPENSSL_cleanse(data, size);
}

}  // namespace kinesis::detail

#endif  // KINESIS_IMPL_CREDENTIALS_IPP
