// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/detail/xml.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>

using kinesis::detail::parse_xml;

TEST_CASE("an STS GetCallerIdentity answer reads into elements and text") {
    const std::string body = R"(<?xml version="1.0" encoding="UTF-8"?>
<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/alice</Arn>
    <UserId>AIDAEXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>)";
    auto root = parse_xml(body);
    REQUIRE(root);
    CHECK(root->name() == "GetCallerIdentityResponse");
    const auto* result = root->find_child("GetCallerIdentityResult");
    REQUIRE(result != nullptr);
    CHECK(result->child_text("Arn") == "arn:aws:iam::123456789012:user/alice");
    CHECK(result->child_text("UserId") == "AIDAEXAMPLE");
    CHECK(result->child_text("Account") == "123456789012");
    CHECK(result->child_text("Missing").empty());
    CHECK(root->find_child("ResponseMetadata")->child_text("RequestId") ==
          "c6104cbe-af31-11e0-8154-cbc7ccf896c7");
}

TEST_CASE("XML text decodes the five named entities, numeric references and CDATA") {
    auto root = parse_xml(
        "<a>&amp;&lt;&gt;&quot;&apos; &#65;&#x42;&#X43; &#233;&#x20AC;&#x1F600;"
        "<![CDATA[<raw> & ]]]]>x</a>");
    REQUIRE(root);
    CHECK(root->text() == "&<>\"' ABC \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80<raw> & ]]x");
}

TEST_CASE("XML names lose their namespace prefix and attributes are skipped") {
    auto root = parse_xml(
        "<s3:ListBucketResult xmlns:s3='urn:x' a=\"1\" b = '2'>"
        "<s3:Contents><s3:Key>k1</s3:Key></s3:Contents><Contents><Key>k2</Key></Contents>"
        "<Empty/><Empty attr=\"x\" /></s3:ListBucketResult>");
    REQUIRE(root);
    CHECK(root->name() == "ListBucketResult");
    auto contents = root->children("Contents");
    REQUIRE(contents.size() == 2);
    CHECK(contents[0]->child_text("Key") == "k1");
    CHECK(contents[1]->child_text("Key") == "k2");
    CHECK(root->children("Empty").size() == 2);
    CHECK(root->children().size() == 4);
}

TEST_CASE("XML comments, processing instructions, DOCTYPE and a BOM are skipped") {
    auto root = parse_xml(
        "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><!DOCTYPE Error>\n"
        "<Error><!-- inside --><Code>AccessDenied</Code><?pi x?></Error>\n<!-- tail -->\n");
    REQUIRE(root);
    CHECK(root->name() == "Error");
    CHECK(root->child_text("Code") == "AccessDenied");
}

TEST_CASE("malformed XML is a Parse error naming the offset") {
    const char* bad[] = {
        "",
        "   ",
        "plain text",
        "<a>",
        "<a><b></a></b>",
        "<a></b>",
        "<a>text",
        "<a x=1></a>",
        "<a x=\"1></a>",
        "<a>&unknown;</a>",
        "<a>&amp</a>",
        "<a>&#xD800;</a>",
        "<a>&#x110000;</a>",
        "<a>&#0;</a>",
        "<a>&#12a;</a>",
        "<a><![CDATA[never closed</a>",
        "<a><!-- never closed</a>",
        "<a/><b/>",
        "<a></a>trailing",
        "<!DOCTYPE a [<!ENTITY x 'y'>]><a/>",
        "<a",
        "<a/",
        "</a>",
        "<>",
        "<a><!ELEMENT x></a>",
    };
    for (const char* text : bad) {
        CAPTURE(text);
        auto result = parse_xml(text);
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == kinesis::ErrorKind::Parse);
        CHECK(result.error().message.find("at byte") != std::string::npos);
    }
}

TEST_CASE("deep nesting is rejected instead of exhausting the stack") {
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += "<a>";
    auto result = parse_xml(deep);
    REQUIRE_FALSE(result);
    CHECK(result.error().message.find("nested too deeply") != std::string::npos);

    std::string ok;
    for (int i = 0; i < 64; ++i) ok += "<a>";
    for (int i = 0; i < 64; ++i) ok += "</a>";
    CHECK(parse_xml(ok));
}

TEST_CASE("every truncation and random corruption of a valid answer fails cleanly or parses") {
    const std::string body =
        "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        "<Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
        "<Message>The request signature &amp; &#x41; <![CDATA[x]]></Message></Error>"
        "<RequestId>abc</RequestId></ErrorResponse>";
    REQUIRE(parse_xml(body));
    for (std::size_t n = 0; n < body.size(); ++n) {
        CAPTURE(n);
        auto result = parse_xml(std::string_view(body).substr(0, n));
        CHECK_FALSE(result);
    }
    std::mt19937 rng(12345);
    const char alphabet[] = "<>/&;!?[]\"'=a \x00\xFF";
    int parsed = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string mutated = body;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            mutated[rng() % mutated.size()] = alphabet[rng() % (sizeof alphabet - 1)];
        }
        auto result = parse_xml(mutated);
        if (result) {
            ++parsed;
        } else {
            CHECK(result.error().kind == kinesis::ErrorKind::Parse);
        }
    }
    CHECK(parsed < 3000);
    std::string garbage;
    for (int i = 0; i < 20000; ++i) garbage.push_back(static_cast<char>(rng()));
    CHECK_FALSE(parse_xml(garbage));
    CHECK_FALSE(parse_xml("<a>" + std::string(100000, '&') + "</a>"));
}
