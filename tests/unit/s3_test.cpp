// SPDX-License-Identifier: Apache-2.0
// S3 pieces that need no server: bucket-name and key rules, addressing, the
// DeleteObjects and CreateBucket bodies, and parsing of S3's XML answers.
#include <kinesis/s3/s3_client.hpp>

#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/s3/detail/wire.hpp>
#include <kinesis/core/detail/xml.hpp>
#include <kinesis/auth/sigv4.hpp>

#include "aws_env.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

using kinesis::ErrorKind;
using kinesis::S3AddressingStyle;
namespace detail = kinesis::detail;

namespace {

std::string new_bucket_error(std::string_view name) {
    auto result = detail::validate_new_bucket_name("create_bucket", name);
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == ErrorKind::InvalidArgument);
    CHECK(result.error().http_status == 0);
    return result.error().message;
}

std::string key_error(std::string_view key) {
    auto result = detail::validate_object_key("put_object", key);
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == ErrorKind::InvalidArgument);
    return result.error().message;
}

}  // namespace

TEST_CASE("S3 bucket names that follow every rule are accepted") {
    for (std::string_view name : {"abc", "my-bucket.logs-2024", "0bucket9", "a.b.c", "xn-not-quite", "sthree",
                                  "bucket-s3alias-not-at-end",
                                  "a23456789012345678901234567890123456789012345678901234567890123"}) {
        CAPTURE(name);
        CHECK(detail::validate_new_bucket_name("create_bucket", name));
    }
}

TEST_CASE("S3 bucket name rules: each broken rule is named with the name and its length") {
    CHECK(new_bucket_error("ab") == "create_bucket: bucket name \"ab\" has 2 characters; the minimum is 3");
    CHECK(new_bucket_error("") == "create_bucket: bucket name \"\" has 0 characters; the minimum is 3");
    CHECK(new_bucket_error(std::string(64, 'a')) == "create_bucket: bucket name has 64 characters; the limit is 63");
    CHECK(new_bucket_error("My-Bucket") ==
          "create_bucket: bucket name \"My-Bucket\" (9 characters) may contain only lowercase letters, digits, dots "
          "and hyphens, not 'M' at offset 0");
    CHECK(new_bucket_error("my_bucket") ==
          "create_bucket: bucket name \"my_bucket\" (9 characters) may contain only lowercase letters, digits, dots "
          "and hyphens, not '_' at offset 2");
    CHECK(new_bucket_error("my bucket") ==
          "create_bucket: bucket name \"<unprintable>\" (9 characters) may contain only lowercase letters, digits, "
          "dots and hyphens, not byte 0x20 at offset 2");
    CHECK(new_bucket_error("-bucket") ==
          "create_bucket: bucket name \"-bucket\" (7 characters) must start and end with a letter or digit");
    CHECK(new_bucket_error("bucket.") ==
          "create_bucket: bucket name \"bucket.\" (7 characters) must start and end with a letter or digit");
    CHECK(new_bucket_error("my..bucket") ==
          "create_bucket: bucket name \"my..bucket\" (10 characters) must not contain two adjacent dots");
    CHECK(new_bucket_error("192.168.5.4") ==
          "create_bucket: bucket name \"192.168.5.4\" (11 characters) must not be formatted as an IP address");
    CHECK(new_bucket_error("xn--bucket") ==
          "create_bucket: bucket name \"xn--bucket\" (10 characters) must not start with the reserved prefix "
          "\"xn--\"");
    CHECK(new_bucket_error("sthree-bucket") ==
          "create_bucket: bucket name \"sthree-bucket\" (13 characters) must not start with the reserved prefix "
          "\"sthree-\"");
    CHECK(new_bucket_error("bucket-s3alias") ==
          "create_bucket: bucket name \"bucket-s3alias\" (14 characters) must not end with the reserved suffix "
          "\"-s3alias\"");
    CHECK(new_bucket_error("bucket--ol-s3") ==
          "create_bucket: bucket name \"bucket--ol-s3\" (13 characters) must not end with the reserved suffix "
          "\"--ol-s3\"");
    // Looks like an address but is not four groups of at most three digits: allowed.
    CHECK(detail::validate_new_bucket_name("create_bucket", "1.2.3"));
    CHECK(detail::validate_new_bucket_name("create_bucket", "1234.2.3.4"));
}

TEST_CASE("S3 bucket names of existing buckets: only empty, over 255 characters or with '/' are refused") {
    CHECK(detail::validate_bucket_name("get_object", "Legacy_Bucket"));
    auto empty = detail::validate_bucket_name("get_object", "");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "get_object: bucket name is empty");
    auto slash = detail::validate_bucket_name("get_object", "a/b");
    REQUIRE_FALSE(slash);
    CHECK(slash.error().message == "get_object: bucket name \"a/b\" (3 characters) must not contain '/'");
    auto huge = detail::validate_bucket_name("get_object", std::string(256, 'b'));
    REQUIRE_FALSE(huge);
    CHECK(huge.error().message == "get_object: bucket name has 256 characters; the limit is 255");
}

TEST_CASE("S3 object keys: 1 to 1024 bytes of UTF-8") {
    CHECK(detail::validate_object_key("put_object", "k"));
    CHECK(detail::validate_object_key("put_object", std::string(1024, 'k')));
    // 512 two-byte characters: the limit is in bytes, not characters.
    std::string two_byte;
    for (int i = 0; i < 512; ++i) two_byte += "\xc3\xbc";
    CHECK(detail::validate_object_key("put_object", two_byte));
    CHECK(key_error(two_byte + "x") == "put_object: key has 1025 bytes; the limit is 1024");
    CHECK(key_error("") == "put_object: key is empty; it must have 1 to 1024 bytes");
    CHECK(key_error(std::string(1025, 'k')) == "put_object: key has 1025 bytes; the limit is 1024");
    CHECK(key_error("bad\xff") == "put_object: key (4 bytes) is not valid UTF-8");
    CHECK(key_error("\xc3") == "put_object: key (1 bytes) is not valid UTF-8");
}

TEST_CASE("S3 addressing: path-style against a custom endpoint, virtual-hosted against AWS") {
    CHECK(detail::is_aws_s3_host("s3.amazonaws.com"));
    CHECK(detail::is_aws_s3_host("s3.eu-north-1.amazonaws.com"));
    CHECK(detail::is_aws_s3_host("s3.dualstack.us-west-2.amazonaws.com"));
    CHECK(detail::is_aws_s3_host("s3.cn-north-1.amazonaws.com.cn"));
    CHECK(detail::is_aws_s3_host("s3-external-1.amazonaws.com"));
    CHECK_FALSE(detail::is_aws_s3_host("127.0.0.1:4566"));
    CHECK_FALSE(detail::is_aws_s3_host("localhost"));
    CHECK_FALSE(detail::is_aws_s3_host("kinesis.us-east-1.amazonaws.com"));
    CHECK_FALSE(detail::is_aws_s3_host("s3.example.com"));

    CHECK(detail::use_virtual_host(S3AddressingStyle::Auto, true, "my-bucket"));
    CHECK_FALSE(detail::use_virtual_host(S3AddressingStyle::Auto, false, "my-bucket"));
    // A dot breaks the *.s3.<region>.amazonaws.com certificate; upper case and '_' are no DNS label.
    CHECK_FALSE(detail::use_virtual_host(S3AddressingStyle::Auto, true, "my.bucket"));
    CHECK_FALSE(detail::use_virtual_host(S3AddressingStyle::Auto, true, "Legacy_Bucket"));
    CHECK(detail::use_virtual_host(S3AddressingStyle::VirtualHosted, false, "my-bucket"));
    CHECK_FALSE(detail::use_virtual_host(S3AddressingStyle::Path, true, "my-bucket"));

    auto path = detail::s3_address("127.0.0.1:4566", "bucket", "dir/file.txt", false);
    CHECK(path.host.empty());
    CHECK(path.path == "/bucket/dir/file.txt");
    auto bucket_only = detail::s3_address("127.0.0.1:4566", "bucket", "", false);
    CHECK(bucket_only.path == "/bucket");
    auto hosted = detail::s3_address("s3.eu-north-1.amazonaws.com", "bucket", "dir/file.txt", true);
    CHECK(hosted.host == "bucket.s3.eu-north-1.amazonaws.com");
    CHECK(hosted.path == "/dir/file.txt");
    auto hosted_bucket = detail::s3_address("s3.eu-north-1.amazonaws.com", "bucket", "", true);
    CHECK(hosted_bucket.path == "/");
}

TEST_CASE("S3 keys are percent-encoded once, '/' kept, and signed without a second encoding") {
    auto reserved = detail::s3_address("h", "b", "a b/c+d?e#f%g&h=i~j", false);
    CHECK(reserved.path == "/b/a%20b/c%2Bd%3Fe%23f%25g%26h%3Di~j");
    auto utf8 = detail::s3_address("h", "b", "\xc3\xbcn/\xd0\xba/\xe9\x94\xae", false);
    CHECK(utf8.path == "/b/%C3%BCn/%D0%BA/%E9%94%AE");
    CHECK(detail::s3_address("h", "b", "trailing/", false).path == "/b/trailing/");
    CHECK(detail::s3_address("h", "b", "..//double", false).path == "/b/..//double");
    CHECK(detail::s3_address("h", "b", "..//double", true).path == "/..//double");

    kinesis::SigningParams params;
    params.region = "us-east-1";
    params.service = "s3";
    params.double_uri_encode = false;
    params.normalize_path = false;
    CHECK(kinesis::canonical_uri(reserved.path, params) == reserved.path);
    CHECK(kinesis::canonical_uri("/b/..//double", params) == "/b/..//double");
}

TEST_CASE("S3Client picks virtual-hosted addressing only for an AWS endpoint and keeps the endpoint it resolved") {
    kinesis_test::AwsEnv env;
    kinesis::ClientConfig config;
    config.region = "eu-north-1";
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKID", "secret");
    kinesis::S3Client aws(config);
    CHECK(aws.endpoint() == "https://s3.eu-north-1.amazonaws.com");
    CHECK(aws.region() == "eu-north-1");
    config.endpoint = "http://127.0.0.1:4566";
    kinesis::S3Client local(config, {S3AddressingStyle::Path});
    CHECK(local.endpoint() == "http://127.0.0.1:4566");
    kinesis::S3Client moved(std::move(local));
    CHECK(moved.endpoint() == "http://127.0.0.1:4566");
}

TEST_CASE("S3 client methods refuse bad input before sending") {
    kinesis_test::AwsEnv env;
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    // Nothing listens on port 9: a request that were sent would fail as Transport, not InvalidArgument.
    config.endpoint = "http://127.0.0.1:9";
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKID", "secret");
    kinesis::S3Client s3(config);

    auto create = s3.create_bucket({"ab", std::nullopt});
    REQUIRE_FALSE(create);
    CHECK(create.error().message == "create_bucket: bucket name \"ab\" has 2 characters; the minimum is 3");

    auto none = s3.delete_objects("bucket", {});
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == ErrorKind::InvalidArgument);
    CHECK(none.error().message == "delete_objects: keys has 0 entries; it must have 1 to 1000");
    auto many = s3.delete_objects("bucket", std::vector<std::string>(1001, "k"));
    REQUIRE_FALSE(many);
    CHECK(many.error().message == "delete_objects: keys has 1001 entries; it must have 1 to 1000");
    auto empty_key = s3.delete_objects("bucket", {"a", ""});
    REQUIRE_FALSE(empty_key);
    CHECK(empty_key.error().message == "delete_objects: keys[1]: key is empty; it must have 1 to 1024 bytes");

    auto control = s3.delete_objects("bucket", {"ok", "tab\tis fine", "bell\x07"});
    REQUIRE_FALSE(control);
    CHECK(control.error().message ==
          "delete_objects: keys[2] (5 bytes) has a control character XML 1.0 cannot carry; use delete_object");

    kinesis::ListObjectsV2Request list;
    list.bucket = "bucket";
    list.max_keys = 0;
    auto listed = s3.list_objects_v2(list);
    REQUIRE_FALSE(listed);
    CHECK(listed.error().message == "list_objects_v2: max_keys is 0; it must be 1 to 1000");

    kinesis::PutObjectRequest put;
    put.bucket = "bucket";
    put.key = "key";
    put.metadata = {{"bad name", "v"}};
    auto bad_meta = s3.put_object(put);
    REQUIRE_FALSE(bad_meta);
    CHECK(bad_meta.error().kind == ErrorKind::InvalidArgument);
    put.metadata = {{"name", std::string(2048, 'v')}};
    auto big_meta = s3.put_object(put);
    REQUIRE_FALSE(big_meta);
    CHECK(big_meta.error().message ==
          "put_object: metadata has 2052 bytes of names and values; the limit is 2048");
    put.metadata = {{"name", "line\r\nInjected: yes"}};
    auto injected = s3.put_object(put);
    REQUIRE_FALSE(injected);
    CHECK(injected.error().message == "put_object: metadata \"name\" has a value (19 bytes) with a line break or NUL");

    auto long_key = s3.head_object("bucket", std::string(1025, 'k'));
    REQUIRE_FALSE(long_key);
    CHECK(long_key.error().message == "head_object: key has 1025 bytes; the limit is 1024");
}

TEST_CASE("S3 CreateBucket body carries a LocationConstraint outside us-east-1") {
    CHECK(detail::create_bucket_body("").empty());
    CHECK(detail::create_bucket_body("us-east-1").empty());
    CHECK(detail::create_bucket_body("eu-north-1") ==
          "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          "<LocationConstraint>eu-north-1</LocationConstraint></CreateBucketConfiguration>");
}

TEST_CASE("S3 DeleteObjects body lists every key XML-escaped with Quiet false, and its Content-MD5") {
    const auto body = detail::delete_objects_body({"a", "b & <c>", "\"q'"});
    CHECK(body ==
          "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>false</Quiet>"
          "<Object><Key>a</Key></Object>"
          "<Object><Key>b &amp; &lt;c&gt;</Key></Object>"
          "<Object><Key>&quot;q&apos;</Key></Object>"
          "</Delete>");
    // echo -n '' | openssl md5 -binary | base64
    CHECK(detail::content_md5("") == "1B2M2Y8AsgTpgAmY7PhCfg==");
    // echo -n 'The quick brown fox jumps over the lazy dog' | openssl md5 -binary | base64
    CHECK(detail::content_md5("The quick brown fox jumps over the lazy dog") == "nhB9nTcrtoJr2B01QqQZ1g==");
    // The body reads back as the keys it was built from.
    auto parsed = detail::parse_xml(body);
    REQUIRE(parsed);
    std::vector<std::string> keys;
    for (const auto* object : parsed->children("Object")) keys.emplace_back(object->child_text("Key"));
    CHECK(keys == std::vector<std::string>{"a", "b & <c>", "\"q'"});
}

TEST_CASE("S3 ListObjectsV2 answer is parsed, url-encoded keys and prefixes decoded") {
    const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>logs%2F</Prefix><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys>
  <Delimiter>%2F</Delimiter><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents>
    <Key>logs/a+b%2Bc%01%E9%94%AE</Key>
    <LastModified>2024-05-01T12:34:56.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>
    <Size>1024</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents><Key>logs/plain</Key><Size>0</Size><ETag>"x"</ETag><StorageClass>GLACIER</StorageClass></Contents>
  <CommonPrefixes><Prefix>logs/2024%20q1/</Prefix></CommonPrefixes>
</ListBucketResult>)";
    auto page = detail::parse_list_objects_v2(xml);
    REQUIRE_MESSAGE(page, (page ? std::string() : page.error().to_string()));
    REQUIRE(page->contents.size() == 2);
    CHECK(page->contents[0].key == "logs/a b+c\x01\xe9\x94\xae");
    CHECK(page->contents[0].size == 1024);
    CHECK(page->contents[0].etag == "\"9b2cf535f27731c974343645a3985328\"");
    REQUIRE(page->contents[0].last_modified.has_value());
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(page->contents[0].last_modified->time_since_epoch())
              .count() == 1714566896);
    CHECK(page->contents[0].storage_class == "STANDARD");
    CHECK(page->contents[1].key == "logs/plain");
    CHECK_FALSE(page->contents[1].last_modified.has_value());
    CHECK(page->contents[1].storage_class == "GLACIER");
    CHECK(page->common_prefixes == std::vector<std::string>{"logs/2024 q1/"});
    CHECK(page->is_truncated);
    CHECK(page->next_continuation_token == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
    CHECK(page->key_count == 3);
}

TEST_CASE("S3 ListObjectsV2 answer without EncodingType keeps keys as they are") {
    auto page = detail::parse_list_objects_v2(
        "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a+b%20c</Key><Size>1</Size></Contents>"
        "</ListBucketResult>");
    REQUIRE(page);
    REQUIRE(page->contents.size() == 1);
    CHECK(page->contents[0].key == "a+b%20c");
    CHECK(page->key_count == 1);
    CHECK_FALSE(page->next_continuation_token.has_value());
}

TEST_CASE("S3 ListObjectsV2 answers that cannot be trusted are Parse errors") {
    auto truncated =
        detail::parse_list_objects_v2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>");
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().kind == ErrorKind::Parse);
    CHECK(truncated.error().message == "ListObjectsV2 response is truncated but has no NextContinuationToken");
    auto bad_size = detail::parse_list_objects_v2(
        "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>");
    REQUIRE_FALSE(bad_size);
    CHECK(bad_size.error().message == "Size is not a non-negative integer: -1");
    auto bad_escape = detail::parse_list_objects_v2(
        "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%zz</Key></Contents></ListBucketResult>");
    REQUIRE_FALSE(bad_escape);
    CHECK(bad_escape.error().kind == ErrorKind::Parse);
    auto wrong_root = detail::parse_list_objects_v2("<Error><Code>X</Code></Error>");
    REQUIRE_FALSE(wrong_root);
    CHECK(wrong_root.error().message == "ListObjectsV2 response has root <Error>, not <ListBucketResult>");
    auto broken = detail::parse_list_objects_v2("<ListBucketResult><Contents>");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().kind == ErrorKind::Parse);
}

TEST_CASE("S3 ListBuckets answer is parsed") {
    auto buckets = detail::parse_list_buckets(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>bcaf1ffd86f41161ca5fb16fd081034f</ID><DisplayName>webfile</DisplayName></Owner>
  <Buckets>
    <Bucket><Name>first</Name><CreationDate>2006-02-03T16:45:09.000Z</CreationDate></Bucket>
    <Bucket><Name>second.with.dots</Name><CreationDate>2024-01-01T00:00:00Z</CreationDate></Bucket>
  </Buckets>
</ListAllMyBucketsResult>)");
    REQUIRE(buckets);
    REQUIRE(buckets->size() == 2);
    CHECK((*buckets)[0].name == "first");
    REQUIRE((*buckets)[0].creation_date.has_value());
    CHECK(std::chrono::duration_cast<std::chrono::seconds>((*buckets)[0].creation_date->time_since_epoch()).count() ==
          1138985109);
    CHECK((*buckets)[1].name == "second.with.dots");
    auto none = detail::parse_list_buckets("<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>");
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("S3 DeleteObjects answer lists deleted keys and per-key errors") {
    auto result = detail::parse_delete_objects(R"(<?xml version="1.0" encoding="UTF-8"?>
<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Deleted><Key>a &amp; b</Key></Deleted>
  <Deleted><Key>c</Key><VersionId>null</VersionId></Deleted>
  <Error><Key>locked</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
</DeleteResult>)");
    REQUIRE(result);
    CHECK(result->deleted == std::vector<std::string>{"a & b", "c"});
    REQUIRE(result->errors.size() == 1);
    CHECK(result->errors[0].key == "locked");
    CHECK(result->errors[0].code == "AccessDenied");
    CHECK(result->errors[0].message == "Access Denied");
}

TEST_CASE("S3 error answers: NoSuchBucket and NoSuchKey XML give code, message, status and request id") {
    detail::JsonParser parser;
    kinesis::HttpResponse bucket;
    bucket.status = 404;
    bucket.body = R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>
<BucketName>missing</BucketName><RequestId>4442587FB7D0A2F9</RequestId>
<HostId>9XKWE7uVhQ==</HostId></Error>)";
    bucket.headers = {{"x-amz-request-id", "4442587FB7D0A2F9"}};
    auto error = detail::extract_error(bucket, parser);
    CHECK(error.kind == ErrorKind::Service);
    CHECK(error.code == "NoSuchBucket");
    CHECK(error.message == "The specified bucket does not exist");
    CHECK(error.http_status == 404);
    CHECK(error.request_id == "4442587FB7D0A2F9");

    kinesis::HttpResponse key;
    key.status = 404;
    key.body = "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
               "<Key>a &amp; b</Key><RequestId>R1</RequestId></Error>";
    error = detail::extract_error(key, parser);
    CHECK(error.code == "NoSuchKey");
    CHECK(error.message == "The specified key does not exist.");
    CHECK(error.request_id == "R1");

    kinesis::HttpResponse slow;
    slow.status = 503;
    slow.body = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
    error = detail::extract_error(slow, parser);
    CHECK(error.code == "SlowDown");
    CHECK(error.kind == ErrorKind::Throttled);
}
