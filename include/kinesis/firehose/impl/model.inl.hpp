// SPDX-License-Identifier: Apache-2.0
// Definitions for firehose/model.hpp.
#ifndef KINESIS_FIREHOSE_IMPL_MODEL_INL_HPP
#define KINESIS_FIREHOSE_IMPL_MODEL_INL_HPP

#include <kinesis/firehose/model.hpp>

namespace kinesis {

KINESIS_DECL std::string_view to_string(DeliveryStreamType value) noexcept {
    switch (value) {
        case DeliveryStreamType::DirectPut: return "DirectPut";
        case DeliveryStreamType::KinesisStreamAsSource: return "KinesisStreamAsSource";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(DeliveryStreamStatus value) noexcept {
    switch (value) {
        case DeliveryStreamStatus::Creating: return "CREATING";
        case DeliveryStreamStatus::CreatingFailed: return "CREATING_FAILED";
        case DeliveryStreamStatus::Deleting: return "DELETING";
        case DeliveryStreamStatus::DeletingFailed: return "DELETING_FAILED";
        case DeliveryStreamStatus::Active: return "ACTIVE";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(CompressionFormat value) noexcept {
    switch (value) {
        case CompressionFormat::Uncompressed: return "UNCOMPRESSED";
        case CompressionFormat::Gzip: return "GZIP";
        case CompressionFormat::Zip: return "ZIP";
        case CompressionFormat::Snappy: return "Snappy";
        case CompressionFormat::HadoopSnappy: return "HADOOP_SNAPPY";
    }
    return "UNKNOWN";
}

}  // namespace kinesis

#endif  // KINESIS_FIREHOSE_IMPL_MODEL_INL_HPP
