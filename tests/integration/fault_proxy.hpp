// SPDX-License-Identifier: Apache-2.0
// tests/tools/fault_proxy.py as a child process: a fault-injecting proxy in
// front of moto or kinesis-mock, scripted per test (see the script's header).
#ifndef KINESIS_TESTS_INTEGRATION_FAULT_PROXY_HPP
#define KINESIS_TESTS_INTEGRATION_FAULT_PROXY_HPP

#include <kinesis/http/transport.hpp>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#ifndef KINESIS_SOURCE_DIR
#error "KINESIS_SOURCE_DIR must name the source tree (tests/CMakeLists.txt defines it)"
#endif

namespace kinesis_test {

/// Starts `python3 tests/tools/fault_proxy.py --backend URL` on a free
/// loopback port and stops it (by PID: TERM, then KILL) when destroyed. Its
/// stderr, one line per fault fired, goes to a log file that log() reads.
///
///     FaultProxy proxy(endpoint.url);
///     proxy.set_script(R"({"rules":[{"action":"status","status":503,"count":2}]})");
///     config.endpoint = proxy.url();
///     ... proxy.stat("/operations/PutRecords/forwarded") ...
class FaultProxy {
public:
    explicit FaultProxy(std::string backend_url) : backend_(std::move(backend_url)) {
        using namespace std::chrono_literals;
        char pattern[] = "/tmp/kinesis-fault-proxy-XXXXXX";
        REQUIRE(::mkdtemp(pattern) != nullptr);
        dir_ = pattern;
        const std::string script = std::string(KINESIS_SOURCE_DIR) + "/tests/tools/fault_proxy.py";
        std::vector<std::string> args{"python3", script, "--backend", backend_, "--port", "0",
                                      "--port-file", port_file()};
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        const std::string log = log_path();
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            // Dies with the test binary, even when it is killed.
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(127);
            const int null = ::open("/dev/null", O_RDWR);
            const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(null, 0);
            ::dup2(null, 1);
            ::dup2(err, 2);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (port_.empty()) {
            std::ifstream in(port_file());
            std::string line;
            if (in && std::getline(in, line) && !line.empty()) {
                port_ = line;
                break;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                FAIL("fault_proxy.py exited before listening; its log:\n" << this->log());
            }
            if (std::chrono::steady_clock::now() > deadline) {
                stop();
                FAIL("fault_proxy.py did not listen within 20 s; its log:\n" << this->log());
            }
            std::this_thread::sleep_for(20ms);
        }
    }

    ~FaultProxy() {
        stop();
        for (const char* file : {"/port", "/proxy.log"}) std::remove((dir_ + file).c_str());
        ::rmdir(dir_.c_str());
    }
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    /// http://127.0.0.1:PORT: the endpoint to give a ClientConfig.
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + port_; }
    [[nodiscard]] const std::string& backend_url() const { return backend_; }
    [[nodiscard]] pid_t pid() const { return pid_; }

    /// Posts a script (it replaces the rules and zeroes the stats); the proxy must accept it.
    void set_script(std::string_view json) {
        const auto answer = post_script(json);
        REQUIRE_MESSAGE(answer.status == 200, "fault_proxy rejected the script: " << answer.body);
    }
    /// Posts a script and returns the answer as it is (400 with a message for a bad one).
    [[nodiscard]] kinesis::HttpResponse post_script(std::string_view json) {
        return control("POST", "/__faults__", std::string(json));
    }
    /// No rules, zeroed stats, shard ranges forgotten.
    void reset() { REQUIRE(control("POST", "/__faults__/reset", "").status == 200); }
    /// The shard ranges are read again from the backend on next use.
    void refresh_shards() { REQUIRE(control("POST", "/__faults__/refresh_shards", "").status == 200); }

    /// GET /__faults__/stats as it is.
    [[nodiscard]] std::string stats_json() {
        auto answer = control("GET", "/__faults__/stats", "");
        REQUIRE(answer.status == 200);
        return std::move(answer.body);
    }
    /// One counter of the stats by JSON pointer ("/operations/PutRecords/forwarded",
    /// "/rules/0/fired"); 0 when absent (a counter never incremented).
    [[nodiscard]] std::int64_t stat(std::string_view pointer) {
        simdjson::dom::parser parser;
        const std::string json = stats_json();
        simdjson::dom::element value;
        if (parser.parse(json).at_pointer(pointer).get(value) != simdjson::SUCCESS) return 0;
        std::int64_t number = 0;
        REQUIRE_MESSAGE(value.get_int64().get(number) == simdjson::SUCCESS, "not a number at " << pointer);
        return number;
    }
    /// A list of strings of the stats by JSON pointer ("/failed_keys",
    /// "/forwarded_keys": recorded with "record_keys": true in the script).
    [[nodiscard]] std::vector<std::string> stat_strings(std::string_view pointer) {
        simdjson::dom::parser parser;
        const std::string json = stats_json();
        simdjson::dom::array array;
        REQUIRE_MESSAGE(parser.parse(json).at_pointer(pointer).get_array().get(array) == simdjson::SUCCESS,
                        "no array at " << pointer << " in " << json);
        std::vector<std::string> out;
        for (auto element : array) {
            std::string_view text;
            REQUIRE(element.get_string().get(text) == simdjson::SUCCESS);
            out.emplace_back(text);
        }
        return out;
    }

    /// What the proxy wrote to stderr so far.
    [[nodiscard]] std::string log() const {
        std::ifstream in(log_path());
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

    /// Stops the proxy now (the destructor does it otherwise): TERM, KILL after 5 s.
    void stop() {
        using namespace std::chrono_literals;
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (::waitpid(pid_, nullptr, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, nullptr, 0);
                break;
            }
            std::this_thread::sleep_for(10ms);
        }
        pid_ = -1;
    }

private:
    [[nodiscard]] std::string port_file() const { return dir_ + "/port"; }
    [[nodiscard]] std::string log_path() const { return dir_ + "/proxy.log"; }

    kinesis::HttpResponse control(const char* method, const std::string& path, std::string body) {
        auto request = kinesis::HttpRequest::from_url(method, url() + path);
        REQUIRE(request.has_value());
        request->body = std::move(body);
        request->set_header("Content-Type", "application/json");
        auto answer = http_.send(*request);
        REQUIRE_MESSAGE(answer.has_value(), "fault_proxy control call " << path << " failed: "
                                                                        << answer.error().to_string());
        return std::move(*answer);
    }

    std::string backend_;
    std::string dir_;
    std::string port_;
    pid_t pid_ = -1;
    kinesis::HttpClient http_;
};

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_INTEGRATION_FAULT_PROXY_HPP
