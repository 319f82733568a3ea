// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/detail/crypto.hpp>

#include <kinesis/core/detail/encoding.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {
template <std::size_t N>
std::string hex(const std::array<unsigned char, N>& digest) {
    return kinesis::detail::to_hex(digest.data(), digest.size());
}
}  // namespace

TEST_CASE("sha256 matches the NIST FIPS 180-2 examples") {
    using kinesis::detail::sha256;
    CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(hex(sha256(std::string(1000000, 'a'))) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256 is reusable after finish and incremental updates equal one message") {
    kinesis::detail::Sha256 hasher;
    const auto first = hasher.hash("abc");
    CHECK(hasher.hash("abc") == first);  // finish() left a fresh state
    hasher.update("a");
    hasher.update("");
    hasher.update("bc");
    CHECK(hasher.finish() == first);
    kinesis::detail::Sha256 moved(std::move(hasher));
    CHECK(moved.hash("abc") == first);
}

TEST_CASE("hmac_sha256 matches RFC 4231 test cases 1-4, 6 and 7") {
    using kinesis::detail::hmac_sha256;
    CHECK(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    std::string key4;
    for (char c = 1; c <= 25; ++c) key4.push_back(c);
    CHECK(hex(hmac_sha256(key4, std::string(50, '\xcd'))) ==
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    const std::string long_key(131, '\xaa');
    CHECK(hex(hmac_sha256(long_key, "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK(hex(hmac_sha256(long_key,
                          "This is a test using a larger than block-size key and a larger than "
                          "block-size data. The key needs to be hashed before being used by the "
                          "HMAC algorithm.")) ==
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HmacSha256Key gives the same MAC on reuse, on a copy and through mac_copy") {
    kinesis::detail::HmacSha256Key key("Jefe");
    const std::string expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    const std::string message = "what do ya want for nothing?";
    CHECK(hex(key.mac(message)) == expected);
    CHECK(hex(key.mac(message)) == expected);  // restarted from the pads, not chained
    CHECK(hex(key.mac("other")) != expected);
    CHECK(hex(key.mac_copy(message)) == expected);
    kinesis::detail::HmacSha256Key copy(key);
    CHECK(hex(copy.mac(message)) == expected);
    kinesis::detail::HmacSha256Key assigned("other key");
    assigned = copy;
    CHECK(hex(assigned.mac(message)) == expected);
    kinesis::detail::HmacSha256Key moved(std::move(copy));
    CHECK(hex(moved.mac(message)) == expected);
    CHECK(hex(key.mac(message)) == expected);  // the copies did not disturb the original
}

TEST_CASE("md5 matches the RFC 1321 test suite") {
    using kinesis::detail::md5;
    CHECK(hex(md5("")) == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(hex(md5("a")) == "0cc175b9c0f1b6a831c399e269772661");
    CHECK(hex(md5("abc")) == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(hex(md5("message digest")) == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK(hex(md5("abcdefghijklmnopqrstuvwxyz")) == "c3fcd3d76192e4007dfb496cca67e13b");
    CHECK(hex(md5("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")) ==
          "d174ab98d277d9f5a5611c2c9f419d9f");
    CHECK(hex(md5("1234567890123456789012345678901234567890"
                  "1234567890123456789012345678901234567890")) ==
          "57edf4a22be3c955ac49da2e2107b67a");
    kinesis::detail::Md5 hasher;
    hasher.update("message ");
    hasher.update("digest");
    CHECK(hex(hasher.finish()) == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK(hex(hasher.hash("abc")) == "900150983cd24fb0d6963f7d28e17f72");
}

TEST_CASE("constant_time_equal compares contents and sizes") {
    using kinesis::detail::constant_time_equal;
    CHECK(constant_time_equal("secret", "secret"));
    CHECK_FALSE(constant_time_equal("secret", "secreT"));
    CHECK_FALSE(constant_time_equal("secret", "secret2"));
    CHECK(constant_time_equal("", ""));
}
