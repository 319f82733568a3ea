// SPDX-License-Identifier: Apache-2.0
// A loopback HTTP/1.1 test server with keep-alive, for what moto cannot show.
#ifndef KINESIS_TESTS_INTEGRATION_LOCAL_SERVER_HPP
#define KINESIS_TESTS_INTEGRATION_LOCAL_SERVER_HPP

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kinesis_test {

/// What the server answers: status and body (Content-Length is added).
struct LocalReply {
    int status = 200;
    std::string body;
};

// A loopback HTTP/1.1 server with keep-alive, for what moto cannot show
// (werkzeug closes every connection): it counts accepted connections, keeps
// the last request head, answers each request with its path as the body, or
// (silent mode) accepts and never answers. A handler, given the request
// head and body, may answer something else.
class LocalServer {
public:
    using Handler = std::function<LocalReply(const std::string& head, const std::string& body)>;

    explicit LocalServer(bool silent = false, Handler handler = {}) : silent_(silent), handler_(std::move(handler)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(listener_ >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(listener_, 256) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~LocalServer() {
        stop_ = true;
        acceptor_.join();
        for (auto& worker : workers_) worker.join();
        ::close(listener_);
    }
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    [[nodiscard]] std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int accepted() const { return accepted_.load(); }
    [[nodiscard]] std::string last_head() {
        std::lock_guard<std::mutex> lock(mutex_);
        return last_head_;
    }
    [[nodiscard]] std::string last_body() {
        std::lock_guard<std::mutex> lock(mutex_);
        return last_body_;
    }

private:
    void accept_loop() {
        while (!stop_) {
            pollfd fd{listener_, POLLIN, 0};
            if (::poll(&fd, 1, 50) <= 0) continue;
            const int connection = ::accept(listener_, nullptr, nullptr);
            if (connection < 0) continue;
            ++accepted_;
            workers_.emplace_back([this, connection] { serve(connection); });
        }
    }

    void serve(int connection) {
        std::string buffer;
        char chunk[4096];
        while (!stop_) {
            pollfd fd{connection, POLLIN, 0};
            if (::poll(&fd, 1, 50) <= 0) continue;
            const ssize_t n = ::recv(connection, chunk, sizeof chunk, 0);
            if (n <= 0) break;
            if (silent_) continue;
            buffer.append(chunk, static_cast<std::size_t>(n));
            for (;;) {
                const auto head_end = buffer.find("\r\n\r\n");
                if (head_end == std::string::npos) break;
                const std::string head = buffer.substr(0, head_end + 4);
                std::size_t content_length = 0;
                const auto cl = head.find("Content-Length: ");
                if (cl != std::string::npos) content_length = std::strtoul(head.c_str() + cl + 16, nullptr, 10);
                if (buffer.size() < head.size() + content_length) break;
                const std::string body = buffer.substr(head.size(), content_length);
                buffer.erase(0, head.size() + content_length);
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    last_head_ = head;
                    last_body_ = body;
                }
                const auto path_start = head.find(' ') + 1;
                const std::string path = head.substr(path_start, head.find(' ', path_start) - path_start);
                LocalReply reply{200, path};
                if (handler_) reply = handler_(head, body);
                const std::string answer = "HTTP/1.1 " + std::to_string(reply.status) +
                                           " X\r\nContent-Type: text/plain\r\nX-Amzn-RequestId: req-" + path +
                                           "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                                           "\r\n\r\n" + reply.body;
                if (::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
            }
        }
        ::close(connection);
    }

    bool silent_;
    Handler handler_;
    int listener_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepted_{0};
    std::thread acceptor_;
    std::vector<std::thread> workers_;  // touched by the acceptor thread only until join
    std::mutex mutex_;
    std::string last_head_;
    std::string last_body_;
};

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_INTEGRATION_LOCAL_SERVER_HPP
