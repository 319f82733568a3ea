// SPDX-License-Identifier: Apache-2.0
// `openssl s_server` on loopback with a fresh self-signed certificate, for TLS tests.
#ifndef KINESIS_TESTS_INTEGRATION_TLS_SERVER_HPP
#define KINESIS_TESTS_INTEGRATION_TLS_SERVER_HPP

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace kinesis_test {

// `openssl s_server -www` on loopback with a fresh self-signed certificate
// (SAN 127.0.0.1), its log line-buffered so the ALPN offers can be read.
// `extra` is appended to its arguments ({"-Verify", "1"}: demand a client certificate).
class TlsServer {
public:
    explicit TlsServer(std::vector<std::string> extra = {}) {
        using namespace std::chrono_literals;
        char pattern[] = "/tmp/kinesis-tls-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        dir_ = pattern;
        const std::string make_cert = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                                      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
                                      dir_ + "/key.pem -out " + cert() + " >/dev/null 2>&1";
        REQUIRE(std::system(make_cert.c_str()) == 0);
        port_ = free_port();
        std::vector<std::string> args{"stdbuf", "-oL", "openssl", "s_server", "-accept",
                                      "127.0.0.1:" + std::to_string(port_), "-cert", cert(), "-key",
                                      dir_ + "/key.pem", "-www", "-alpn", "http/1.1"};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        const std::string log = log_path();
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(out, 1);
            ::dup2(out, 2);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        // Ready once it accepts a TCP connection.
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        bool ready = false;
        while (!ready && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
            const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in address{};
            address.sin_family = AF_INET;
            address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            address.sin_port = htons(port_);
            ready = ::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
            ::close(probe);
        }
        REQUIRE_MESSAGE(ready, "openssl s_server did not start");
    }
    ~TlsServer() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        for (const char* file : {"/key.pem", "/cert.pem", "/server.log"}) std::remove((dir_ + file).c_str());
        ::rmdir(dir_.c_str());
    }
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    [[nodiscard]] std::string cert() const { return dir_ + "/cert.pem"; }
    [[nodiscard]] std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] std::string url() const { return "https://" + host(); }
    [[nodiscard]] std::string log() const {
        std::ifstream in(log_path());
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

private:
    [[nodiscard]] std::string log_path() const { return dir_ + "/server.log"; }
    static unsigned short free_port() {
        const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        ::close(probe);
        return ntohs(address.sin_port);
    }
    std::string dir_;
    unsigned short port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_INTEGRATION_TLS_SERVER_HPP
