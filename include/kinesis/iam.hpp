// SPDX-License-Identifier: Apache-2.0
// The iam module: AWS IAM: roles, users, policies and access keys.
#ifndef KINESIS_IAM_HPP
#define KINESIS_IAM_HPP

#include <kinesis/iam/iam_client.hpp>

#endif  // KINESIS_IAM_HPP
