// SPDX-License-Identifier: Apache-2.0
// S3Client against moto_server, plain and signature-verifying: buckets, objects
// with awkward keys, binary bodies and metadata, listing, deletes and errors.
#include <kinesis/s3/s3_client.hpp>

#include <kinesis/auth/credentials.hpp>
#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/core/detail/xml.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace {

struct MotoServer {
    std::string name;
    std::string url;
    std::string access_key_id;
    std::string secret_access_key;
};

std::vector<MotoServer> moto_servers() {
    return {{"moto", kinesis_test::moto_endpoint(), "testing", "testing"},
            {"moto-verify", kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(),
             kinesis_test::moto_verify_secret_access_key()}};
}

kinesis::ClientConfig config_for(const MotoServer& server, std::string region = "us-east-1") {
    kinesis::ClientConfig config;
    config.region = std::move(region);
    config.endpoint = server.url;
    config.credentials =
        std::make_shared<kinesis::StaticCredentialsProvider>(server.access_key_id, server.secret_access_key);
    return config;
}

std::string message_of(const kinesis::Error& error) { return error.to_string(); }

#define REQUIRE_OK(result) REQUIRE_MESSAGE((result), ((result) ? std::string() : message_of((result).error())))

std::string bucket_name(std::string_view prefix) { return kinesis_test::unique_name(prefix); }

/// GetBucketLocation is not part of S3Client: ask for it the way the client would.
std::string bucket_location(const MotoServer& server, const std::string& bucket) {
    kinesis::detail::ServiceClient client(config_for(server), {"s3", "S3", "s3"});
    kinesis::detail::RestRequest rest;
    rest.method = "GET";
    rest.path = "/" + bucket;
    rest.query.emplace_back("location", "");
    rest.signing.double_uri_encode = false;
    rest.signing.normalize_path = false;
    rest.signing.add_content_sha256_header = true;
    auto response = client.call_rest(std::move(rest));
    REQUIRE_OK(response);
    auto root = kinesis::detail::parse_xml(response->body);
    REQUIRE_OK(root);
    CHECK(root->name() == "LocationConstraint");
    return root->text();
}

/// Signature-verifying moto rebuilds the canonical request from werkzeug's
/// decoded URL, so a path or query value needing percent-encoding fails its
/// check even from boto3; there, keys and prefixes keep to unreserved
/// characters and '/' (which it leaves alone in paths, not in queries).
bool decodes_urls_before_verifying(const MotoServer& server) { return server.name == "moto-verify"; }

std::vector<std::string> keys_of(const std::vector<kinesis::S3Object>& objects) {
    std::vector<std::string> keys;
    for (const auto& object : objects) keys.push_back(object.key);
    return keys;
}

}  // namespace

TEST_CASE("S3 create_bucket in us-east-1 and eu-north-1, head_bucket, bucket_exists, list_buckets, delete_bucket") {
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        kinesis::S3Client s3(config_for(server));
        CHECK(s3.endpoint() == server.url);
        const auto plain = bucket_name("kcpp-s3-plain");
        REQUIRE_OK(s3.create_bucket({plain, std::nullopt}));
        CHECK(bucket_location(server, plain).empty());  // us-east-1 answers an empty LocationConstraint

        kinesis::S3Client nordic(config_for(server, "eu-north-1"));
        const auto regional = bucket_name("kcpp-s3-nordic");
        REQUIRE_OK(nordic.create_bucket({regional, std::nullopt}));
        CHECK(bucket_location(server, regional) == "eu-north-1");
        const auto explicit_region = bucket_name("kcpp-s3-explicit");
        REQUIRE_OK(s3.create_bucket({explicit_region, std::string("eu-north-1")}));
        CHECK(bucket_location(server, explicit_region) == "eu-north-1");

        REQUIRE_OK(s3.head_bucket(plain));
        auto exists = s3.bucket_exists(regional);
        REQUIRE_OK(exists);
        CHECK(*exists);

        auto buckets = s3.list_buckets();
        REQUIRE_OK(buckets);
        for (const auto& name : {plain, regional, explicit_region}) {
            const auto found = std::find_if(buckets->begin(), buckets->end(),
                                            [&](const kinesis::BucketSummary& b) { return b.name == name; });
            REQUIRE_MESSAGE(found != buckets->end(), name);
            CHECK(found->creation_date.has_value());
        }

        for (const auto& name : {plain, regional, explicit_region}) REQUIRE_OK(s3.delete_bucket(name));
        exists = s3.bucket_exists(plain);
        REQUIRE_OK(exists);
        CHECK_FALSE(*exists);
        auto head = s3.head_bucket(plain);
        REQUIRE_FALSE(head);
        CHECK(head.error().code == "NotFound");
        CHECK(head.error().http_status == 404);
        CHECK(head.error().kind == kinesis::ErrorKind::Service);
    }
}

TEST_CASE("S3 create_bucket refuses a bad bucket name before sending and moto refuses a taken one") {
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        kinesis::S3Client s3(config_for(server));
        auto bad = s3.create_bucket({"Bad_Bucket", std::nullopt});
        REQUIRE_FALSE(bad);
        CHECK(bad.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(bad.error().http_status == 0);

        const auto name = bucket_name("kcpp-s3-twice");
        REQUIRE_OK(s3.create_bucket({name, std::nullopt}));
        kinesis::S3Client nordic(config_for(server, "eu-north-1"));
        auto again = nordic.create_bucket({name, std::nullopt});
        REQUIRE_FALSE(again);
        CHECK((again.error().code == "BucketAlreadyOwnedByYou" || again.error().code == "BucketAlreadyExists"));
        REQUIRE_OK(s3.delete_bucket(name));
    }
}

TEST_CASE("S3 put_object, get_object and head_object keep a binary body, content type and metadata") {
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        kinesis::S3Client s3(config_for(server));
        const auto bucket = bucket_name("kcpp-s3-objects");
        REQUIRE_OK(s3.create_bucket({bucket, std::nullopt}));

        std::string body;
        for (int round = 0; round < 4; ++round) {
            for (int b = 0; b < 256; ++b) body += static_cast<char>(b);
        }
        kinesis::PutObjectRequest put;
        put.bucket = bucket;
        put.key = "dir/binary.bin";
        put.body = body;
        put.content_type = "application/x-test";
        put.metadata = {{"origin", "kinesis-cpp"}, {"mixed", "Value With Spaces"}};
        auto stored = s3.put_object(put);
        REQUIRE_OK(stored);
        CHECK(stored->etag.size() == 34);  // "<32 hex digits of MD5>"

        auto got = s3.get_object(bucket, put.key);
        REQUIRE_OK(got);
        CHECK(got->body == body);
        CHECK(got->content_length == body.size());
        CHECK(got->content_type == "application/x-test");
        CHECK(got->etag == stored->etag);
        CHECK(got->last_modified.has_value());
        auto metadata = got->metadata;
        std::sort(metadata.begin(), metadata.end());
        CHECK(metadata == std::vector<std::pair<std::string, std::string>>{{"mixed", "Value With Spaces"},
                                                                          {"origin", "kinesis-cpp"}});

        auto head = s3.head_object(bucket, put.key);
        REQUIRE_OK(head);
        CHECK(head->content_length == body.size());
        CHECK(head->content_type == "application/x-test");
        CHECK(head->etag == stored->etag);
        CHECK(head->last_modified.has_value());
        auto head_metadata = head->metadata;
        std::sort(head_metadata.begin(), head_metadata.end());
        CHECK(head_metadata == metadata);

        kinesis::PutObjectRequest empty;
        empty.bucket = bucket;
        empty.key = "empty";
        REQUIRE_OK(s3.put_object(empty));
        auto got_empty = s3.get_object(bucket, "empty");
        REQUIRE_OK(got_empty);
        CHECK(got_empty->body.empty());
        CHECK(got_empty->content_length == 0);
        // No Content-Type sent (not even curl's form default): S3's default is stored.
        CHECK(got_empty->content_type == "binary/octet-stream");

        REQUIRE_OK(s3.empty_bucket(bucket));
        REQUIRE_OK(s3.delete_bucket(bucket));
    }
}

TEST_CASE("S3 keys with UTF-8 and reserved characters round-trip through put, get, head, list and delete") {
    const std::vector<std::string> awkward_keys = {
        "a b/c+d?e#f%g&h=i~j",
        // ünïcødé/ключ/键
        "\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9/\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87/\xe9\x94\xae",
        "trailing/",
        "..//double",
        "./dot/./segment/..",
        "semi;colon,comma!star*(paren)'quote'@at$dollar[bracket]",
        "control\x01\x1f" "chars\ttab",
        "<xml>&amp;\"quotes\"",
    };
    const std::vector<std::string> unreserved_keys = {"trailing/", "..//double", "./dot/./segment/..", "x~y-z_.0"};
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        const auto& keys = decodes_urls_before_verifying(server) ? unreserved_keys : awkward_keys;
        kinesis::S3Client s3(config_for(server));
        const auto bucket = bucket_name("kcpp-s3-keys");
        REQUIRE_OK(s3.create_bucket({bucket, std::nullopt}));
        for (const auto& key : keys) {
            CAPTURE(key);
            kinesis::PutObjectRequest put;
            put.bucket = bucket;
            put.key = key;
            put.body = key;
            REQUIRE_OK(s3.put_object(put));
            auto got = s3.get_object(bucket, key);
            REQUIRE_OK(got);
            CHECK(got->body == key);
            auto head = s3.head_object(bucket, key);
            REQUIRE_OK(head);
            CHECK(head->content_length == key.size());
        }
        auto listed = s3.list_all_objects(bucket);
        REQUIRE_OK(listed);
        auto expected = keys;
        std::sort(expected.begin(), expected.end());
        CHECK(keys_of(*listed) == expected);

        for (const auto& key : keys) {
            CAPTURE(key);
            REQUIRE_OK(s3.delete_object(bucket, key));
            auto gone = s3.get_object(bucket, key);
            REQUIRE_FALSE(gone);
            CHECK(gone.error().code == "NoSuchKey");
        }

        // Again through delete_objects (XML body) and empty_bucket, which deletes
        // keys with control characters one at a time.
        for (const auto& key : keys) {
            kinesis::PutObjectRequest put;
            put.bucket = bucket;
            put.key = key;
            REQUIRE_OK(s3.put_object(put));
        }
        std::vector<std::string> xml_safe;
        for (const auto& key : keys) {
            if (key.find('\x01') == std::string::npos) xml_safe.push_back(key);
        }
        auto deleted = s3.delete_objects(bucket, xml_safe);
        REQUIRE_OK(deleted);
        CHECK(deleted->errors.empty());
        CHECK(deleted->deleted.size() == xml_safe.size());
        REQUIRE_OK(s3.empty_bucket(bucket));
        auto left = s3.list_all_objects(bucket);
        REQUIRE_OK(left);
        CHECK(left->empty());
        REQUIRE_OK(s3.delete_bucket(bucket));
    }
}

TEST_CASE("S3 list_objects_v2 with prefix, delimiter and pages of max_keys=2 over 5 objects") {
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        kinesis::S3Client s3(config_for(server));
        const auto bucket = bucket_name("kcpp-s3-list");
        REQUIRE_OK(s3.create_bucket({bucket, std::nullopt}));
        const std::vector<std::string> logs = {"logs/2024/a", "logs/2024/b", "logs/2025/c", "logs/top-1", "logs/top-2"};
        for (const auto& key : logs) {
            kinesis::PutObjectRequest put;
            put.bucket = bucket;
            put.key = key;
            put.body = "x";
            REQUIRE_OK(s3.put_object(put));
        }
        kinesis::PutObjectRequest other;
        other.bucket = bucket;
        other.key = "other";
        other.body = "y";
        REQUIRE_OK(s3.put_object(other));

        const bool plain = !decodes_urls_before_verifying(server);
        kinesis::ListObjectsV2Request request;
        if (plain) {
            request.bucket = bucket;
            request.prefix = "logs/";
            request.delimiter = "/";
            auto grouped = s3.list_objects_v2(request);
            REQUIRE_OK(grouped);
            CHECK(keys_of(grouped->contents) == std::vector<std::string>{"logs/top-1", "logs/top-2"});
            CHECK(grouped->common_prefixes == std::vector<std::string>{"logs/2024/", "logs/2025/"});
            CHECK(grouped->key_count == 4);
            CHECK_FALSE(grouped->is_truncated);
            CHECK(grouped->contents.front().size == 1);
            CHECK(grouped->contents.front().last_modified.has_value());
            CHECK_FALSE(grouped->contents.front().etag.empty());
            CHECK(grouped->contents.front().storage_class == "STANDARD");
        }

        request = {};
        request.bucket = bucket;
        request.prefix = plain ? "logs/" : "logs";
        request.max_keys = 2;
        std::vector<std::string> seen;
        int pages = 0;
        for (;;) {
            auto page = s3.list_objects_v2(request);
            REQUIRE_OK(page);
            ++pages;
            CHECK(page->contents.size() <= 2);
            for (const auto& object : page->contents) seen.push_back(object.key);
            if (!page->is_truncated) break;
            REQUIRE(page->next_continuation_token.has_value());
            request.continuation_token = page->next_continuation_token;
            REQUIRE(pages < 10);
        }
        CHECK(pages == 3);
        CHECK(seen == logs);

        if (plain) {
            request = {};
            request.bucket = bucket;
            request.start_after = "logs/2025/c";
            auto after = s3.list_objects_v2(request);
            REQUIRE_OK(after);
            CHECK(keys_of(after->contents) == std::vector<std::string>{"logs/top-1", "logs/top-2", "other"});
        }

        auto all = s3.list_all_objects(bucket, plain ? "logs/" : "logs");
        REQUIRE_OK(all);
        CHECK(keys_of(*all) == logs);

        REQUIRE_OK(s3.empty_bucket(bucket));
        REQUIRE_OK(s3.delete_bucket(bucket));
    }
}

TEST_CASE("S3 delete_objects deletes many keys and reports each, empty_bucket pages through 1000 at a time") {
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        kinesis::S3Client s3(config_for(server));
        const auto bucket = bucket_name("kcpp-s3-delete");
        REQUIRE_OK(s3.create_bucket({bucket, std::nullopt}));
        std::vector<std::string> keys = {"one", "two & <three>", "\xe9\x94\xae/four"};
        if (decodes_urls_before_verifying(server)) keys = {"one", "two", "three/four"};
        for (const auto& key : keys) {
            kinesis::PutObjectRequest put;
            put.bucket = bucket;
            put.key = key;
            put.body = "z";
            REQUIRE_OK(s3.put_object(put));
        }
        auto deleted = s3.delete_objects(bucket, keys);
        REQUIRE_OK(deleted);
        auto names = deleted->deleted;
        std::sort(names.begin(), names.end());
        auto expected = keys;
        std::sort(expected.begin(), expected.end());
        CHECK(names == expected);
        CHECK(deleted->errors.empty());
        auto left = s3.list_all_objects(bucket);
        REQUIRE_OK(left);
        CHECK(left->empty());

        // 1001 objects: more than one page for empty_bucket and list_all_objects.
        for (int i = 0; i < 1001; ++i) {
            kinesis::PutObjectRequest put;
            put.bucket = bucket;
            put.key = "many/" + std::to_string(i);
            REQUIRE_OK(s3.put_object(put));
        }
        auto many = s3.list_all_objects(bucket);
        REQUIRE_OK(many);
        CHECK(many->size() == 1001);
        REQUIRE_OK(s3.empty_bucket(bucket));
        left = s3.list_all_objects(bucket);
        REQUIRE_OK(left);
        CHECK(left->empty());
        REQUIRE_OK(s3.delete_bucket(bucket));
    }
}

TEST_CASE("S3 errors for a missing bucket or key carry the S3 code, status and request id") {
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        kinesis::S3Client s3(config_for(server));
        const auto missing = bucket_name("kcpp-s3-missing");

        auto get = s3.get_object(missing, "key");
        REQUIRE_FALSE(get);
        CHECK(get.error().code == "NoSuchBucket");
        CHECK(get.error().http_status == 404);
        CHECK(get.error().kind == kinesis::ErrorKind::Service);
        CHECK_FALSE(get.error().message.empty());

        auto list = s3.list_objects_v2({missing, "", std::nullopt, std::nullopt, std::nullopt, std::nullopt});
        REQUIRE_FALSE(list);
        CHECK(list.error().code == "NoSuchBucket");

        auto drop = s3.delete_bucket(missing);
        REQUIRE_FALSE(drop);
        CHECK(drop.error().code == "NoSuchBucket");

        const auto bucket = bucket_name("kcpp-s3-nokey");
        REQUIRE_OK(s3.create_bucket({bucket, std::nullopt}));
        auto no_key = s3.get_object(bucket, "absent");
        REQUIRE_FALSE(no_key);
        CHECK(no_key.error().code == "NoSuchKey");
        CHECK(no_key.error().http_status == 404);
        CHECK_FALSE(no_key.error().request_id.empty());

        auto head = s3.head_object(bucket, "absent");
        REQUIRE_FALSE(head);
        CHECK(head.error().code == "NotFound");
        CHECK(head.error().http_status == 404);

        // S3 answers 204 for a key that was never there.
        REQUIRE_OK(s3.delete_object(bucket, "absent"));

        auto too_long = s3.get_object(bucket, std::string(1025, 'k'));
        REQUIRE_FALSE(too_long);
        CHECK(too_long.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(too_long.error().message == "get_object: key has 1025 bytes; the limit is 1024");

        kinesis::PutObjectRequest keep;
        keep.bucket = bucket;
        keep.key = "keep";
        REQUIRE_OK(s3.put_object(keep));
        auto not_empty = s3.delete_bucket(bucket);
        REQUIRE_FALSE(not_empty);
        CHECK(not_empty.error().code == "BucketNotEmpty");
        CHECK(not_empty.error().http_status == 409);
        REQUIRE_OK(s3.empty_bucket(bucket));
        REQUIRE_OK(s3.delete_bucket(bucket));
    }
}

TEST_CASE("S3 bucket_exists keeps a 403 an error: only 404 is false") {
    MotoServer server{"moto-verify", kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(),
                      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
    kinesis::S3Client s3(config_for(server));
    auto exists = s3.bucket_exists(bucket_name("kcpp-s3-forbidden"));
    REQUIRE_FALSE(exists);
    CHECK(exists.error().http_status == 403);
    CHECK(exists.error().code == "Forbidden");
}

TEST_CASE("S3 requests signed with a wrong secret are refused by signature-verifying moto") {
    MotoServer server{"moto-verify", kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(),
                      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
    kinesis::S3Client s3(config_for(server));
    auto buckets = s3.list_buckets();
    REQUIRE_FALSE(buckets);
    CHECK(buckets.error().code == "SignatureDoesNotMatch");
    CHECK(buckets.error().http_status == 403);
    CHECK(buckets.error().message.find("wJalrXUtnFEMI") == std::string::npos);
}

TEST_CASE("S3 virtual-hosted addressing puts the bucket in the Host (moto on <bucket>.localhost)") {
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        // curl resolves every *.localhost name to the loopback address, and moto
        // reads the bucket from the first label of the Host header.
        auto localhost = server;
        const auto at = localhost.url.find("127.0.0.1");
        REQUIRE(at != std::string::npos);
        localhost.url.replace(at, std::string_view("127.0.0.1").size(), "localhost");
        kinesis::S3Client path_style(config_for(server));
        kinesis::S3Client hosted(config_for(localhost), {kinesis::S3AddressingStyle::VirtualHosted});

        const auto bucket = bucket_name("kcpp-s3-vhost");
        REQUIRE_OK(hosted.create_bucket({bucket, std::nullopt}));
        kinesis::PutObjectRequest put;
        put.bucket = bucket;
        put.key = "dir/virtual.txt";
        put.body = "hosted";
        REQUIRE_OK(hosted.put_object(put));
        // The same object seen through path-style requests.
        auto got = path_style.get_object(bucket, "dir/virtual.txt");
        REQUIRE_OK(got);
        CHECK(got->body == "hosted");
        auto listed = hosted.list_all_objects(bucket);
        REQUIRE_OK(listed);
        CHECK(keys_of(*listed) == std::vector<std::string>{"dir/virtual.txt"});
        REQUIRE_OK(hosted.empty_bucket(bucket));
        REQUIRE_OK(hosted.delete_bucket(bucket));
        auto exists = path_style.bucket_exists(bucket);
        REQUIRE_OK(exists);
        CHECK_FALSE(*exists);
    }
}

TEST_CASE("S3 put_object stores the bytes of a body assigned from a temporary string") {
    const auto make_body = [](int i) { return "object " + std::to_string(i) + ": " + std::string(100, static_cast<char>(i)); };
    for (const auto& server : moto_servers()) {
        CAPTURE(server.name);
        kinesis::S3Client s3(config_for(server));
        const auto bucket = bucket_name("kcpp-s3-owned");
        REQUIRE_OK(s3.create_bucket({bucket, std::nullopt}));
        for (int i = 0; i < 3; ++i) {
            kinesis::PutObjectRequest put;
            put.bucket = bucket;
            put.key = "object-" + std::to_string(i);
            put.body = make_body(i);  // the temporary is gone after this line
            REQUIRE_OK(s3.put_object(put));
        }
        for (int i = 0; i < 3; ++i) {
            CAPTURE(i);
            auto got = s3.get_object(bucket, "object-" + std::to_string(i));
            REQUIRE_OK(got);
            CHECK(got->body == make_body(i));
        }
        REQUIRE_OK(s3.empty_bucket(bucket));
        REQUIRE_OK(s3.delete_bucket(bucket));
    }
}
