// SPDX-License-Identifier: Apache-2.0
#include <kinesis/consumer/lease_policy.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

using kinesis::compute_leases_to_take;
using kinesis::ExtendedSequenceNumber;
using kinesis::Lease;
using kinesis::LeaseConfig;
using kinesis::LeaseExpiryTracker;
using kinesis::LeaseTakePlan;
using kinesis::lease_available;
using kinesis::lease_target;
using kinesis::parent_lease_deletable;
using kinesis::shard_ready_to_process;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Reason = LeaseTakePlan::Reason;

namespace {

using time_point = std::chrono::steady_clock::time_point;
const time_point t0 = time_point{} + std::chrono::hours(1);

std::string shard(int n) {
    std::string digits = std::to_string(n);
    return "shardId-" + std::string(12 - digits.size(), '0') + digits;
}

Lease lease(std::string key, std::optional<std::string> owner, std::uint64_t counter = 1) {
    Lease l;
    l.lease_key = std::move(key);
    l.lease_owner = std::move(owner);
    l.lease_counter = counter;
    l.checkpoint = ExtendedSequenceNumber::trim_horizon();
    return l;
}

Lease with_checkpoint(Lease l, ExtendedSequenceNumber checkpoint) {
    l.checkpoint = std::move(checkpoint);
    return l;
}

// A table where each owner holds the given number of leases, keys in order.
std::vector<Lease> owned_table(const std::vector<std::pair<std::string, int>>& holdings) {
    std::vector<Lease> scan;
    int next = 0;
    for (const auto& [owner, count] : holdings) {
        for (int i = 0; i < count; ++i) scan.push_back(lease(shard(next++), owner));
    }
    return scan;
}

std::map<std::string, int> owner_counts(const std::vector<Lease>& scan) {
    std::map<std::string, int> counts;
    for (const Lease& l : scan) {
        if (l.is_lease() && l.lease_owner) ++counts[*l.lease_owner];
    }
    return counts;
}

}  // namespace

TEST_CASE("lease intervals follow the KCL: renew every failover/3 - epsilon and take every (failover + epsilon) x 2") {
    const LeaseConfig config;
    CHECK(config.failover_time == milliseconds(10000));
    CHECK(kinesis::renewal_interval(config) == milliseconds(3308));
    CHECK(kinesis::taker_interval(config) == milliseconds(20050));
    LeaseConfig fast;
    fast.failover_time = milliseconds(3000);
    fast.epsilon = milliseconds(0);
    CHECK(kinesis::renewal_interval(fast) == milliseconds(1000));
    CHECK(kinesis::taker_interval(fast) == milliseconds(6000));
}

TEST_CASE("lease config validation names the field at fault") {
    CHECK(kinesis::validate(LeaseConfig{}).has_value());
    LeaseConfig config;
    config.max_leases_for_worker = 0;
    auto bad = kinesis::validate(config);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(bad.error().message == "lease config: max_leases_for_worker must be at least 1");
    config = LeaseConfig{};
    config.max_leases_to_steal_at_one_time = 0;
    CHECK_FALSE(kinesis::validate(config).has_value());
    config = LeaseConfig{};
    config.failover_time = milliseconds(75);
    CHECK_FALSE(kinesis::validate(config).has_value());
}

TEST_CASE("lease expiry tracker: an owned lease first seen is live until failover passes on this clock") {
    LeaseExpiryTracker tracker;
    const std::vector<Lease> scan{lease(shard(0), "worker-a", 5)};
    tracker.update(scan, t0);
    const auto failover = milliseconds(10000);
    CHECK(tracker.last_change(shard(0)) == t0);
    CHECK(tracker.counter(shard(0)) == 5u);
    CHECK_FALSE(tracker.expired(shard(0), t0, failover));
    // Lease.isExpired: age > duration, so exactly failover is still live.
    CHECK_FALSE(tracker.expired(shard(0), t0 + failover, failover));
    CHECK(tracker.expired(shard(0), t0 + failover + milliseconds(1), failover));
}

TEST_CASE("lease expiry tracker: a moving counter keeps the lease live and a still one expires") {
    LeaseExpiryTracker tracker;
    const auto failover = milliseconds(10000);
    tracker.update({lease(shard(0), "worker-a", 5)}, t0);
    tracker.update({lease(shard(0), "worker-a", 6)}, t0 + seconds(8));
    CHECK(tracker.last_change(shard(0)) == t0 + seconds(8));
    CHECK_FALSE(tracker.expired(shard(0), t0 + seconds(15), failover));
    // The same counter again: the time stays at the first sight of that value.
    tracker.update({lease(shard(0), "worker-a", 6)}, t0 + seconds(16));
    CHECK(tracker.last_change(shard(0)) == t0 + seconds(8));
    CHECK_FALSE(tracker.expired(shard(0), t0 + seconds(18), failover));
    CHECK(tracker.expired(shard(0), t0 + seconds(18) + milliseconds(1), failover));
    // A take by another worker moves the counter: live again.
    tracker.update({lease(shard(0), "worker-b", 7)}, t0 + seconds(30));
    CHECK_FALSE(tracker.expired(shard(0), t0 + seconds(30), failover));
}

TEST_CASE("lease expiry tracker: a new unowned lease was never renewed and is available at once") {
    LeaseExpiryTracker tracker;
    const LeaseConfig config;
    const Lease fresh = lease(shard(0), std::nullopt, 0);
    tracker.update({fresh}, t0);
    CHECK_FALSE(tracker.last_change(shard(0)));
    CHECK(tracker.expired(shard(0), t0, config.failover_time));
    CHECK(lease_available(fresh, tracker, t0, config));
}

TEST_CASE("lease expiry tracker: an evicted lease is live by counter but available for having no owner") {
    LeaseExpiryTracker tracker;
    const LeaseConfig config;
    tracker.update({lease(shard(0), "worker-a", 4)}, t0);
    const Lease evicted = lease(shard(0), std::nullopt, 5);
    tracker.update({evicted}, t0 + seconds(1));
    CHECK_FALSE(tracker.expired(shard(0), t0 + seconds(1), config.failover_time));
    CHECK(lease_available(evicted, tracker, t0 + seconds(1), config));
}

TEST_CASE("lease expiry tracker: unknown leases are expired and leases gone from the scan are forgotten") {
    LeaseExpiryTracker tracker;
    const auto failover = milliseconds(10000);
    CHECK(tracker.expired("nobody", t0, failover));
    tracker.update({lease(shard(0), "a"), lease(shard(1), "a")}, t0);
    CHECK(tracker.size() == 2);
    tracker.update({lease(shard(1), "a")}, t0 + seconds(1));
    CHECK(tracker.size() == 1);
    CHECK_FALSE(tracker.counter(shard(0)));
    // Seen again after being forgotten: a first sight.
    tracker.update({lease(shard(0), "a"), lease(shard(1), "a")}, t0 + seconds(2));
    CHECK(tracker.last_change(shard(0)) == t0 + seconds(2));
}

TEST_CASE("lease expiry tracker: this worker's own writes stamp the lease") {
    LeaseExpiryTracker tracker;
    const auto failover = milliseconds(10000);
    tracker.update({lease(shard(0), "a", 3)}, t0);
    tracker.record_write(shard(0), 4, t0 + seconds(9));
    CHECK(tracker.counter(shard(0)) == 4u);
    CHECK_FALSE(tracker.expired(shard(0), t0 + seconds(15), failover));
    // The next scan sees the counter written: no change, the stamp stays.
    tracker.update({lease(shard(0), "me", 4)}, t0 + seconds(12));
    CHECK(tracker.last_change(shard(0)) == t0 + seconds(9));
}

TEST_CASE("lease expiry tracker ignores rows that are not leases") {
    LeaseExpiryTracker tracker;
    Lease other = lease("worker-metrics-1", std::nullopt, 0);
    other.entity_type = "WORKER_METRICS";
    tracker.update({other, lease(shard(0), "a")}, t0);
    CHECK(tracker.size() == 1);
    CHECK_FALSE(tracker.counter("worker-metrics-1"));
    CHECK_FALSE(lease_available(other, tracker, t0, LeaseConfig{}));
}

TEST_CASE("lease fair share is ceil(leases / workers) for 1 to 5 workers and 1 to 20 leases") {
    const LeaseConfig config;
    CHECK(lease_target(0, 3, config) == 0);
    for (std::size_t workers = 1; workers <= 5; ++workers) {
        for (std::size_t leases = 1; leases <= 20; ++leases) {
            CAPTURE(workers);
            CAPTURE(leases);
            const std::size_t expected = workers >= leases ? 1 : (leases + workers - 1) / workers;
            CHECK(lease_target(leases, workers, config) == expected);
        }
    }
    LeaseConfig capped;
    capped.max_leases_for_worker = 2;
    CHECK(lease_target(20, 3, capped) == 2);
    CHECK(lease_target(2, 3, capped) == 1);
}

TEST_CASE("lease taker takes up to its fair share of available leases with 1 to 5 workers and 1 to 20 leases") {
    LeaseConfig config;
    config.priority_lease_assignment = false;
    for (std::size_t workers = 1; workers <= 5; ++workers) {
        for (std::size_t leases = 1; leases <= 20; ++leases) {
            CAPTURE(workers);
            CAPTURE(leases);
            // Each other worker holds one live lease (when there are enough); the rest are unowned.
            std::vector<Lease> scan;
            std::size_t others = 0;
            for (std::size_t i = 0; i < leases; ++i) {
                if (others + 1 < workers) {
                    scan.push_back(lease(shard(static_cast<int>(i)), "w" + std::to_string(others++)));
                } else {
                    scan.push_back(lease(shard(static_cast<int>(i)), std::nullopt));
                }
            }
            LeaseExpiryTracker tracker;
            tracker.update(scan, t0);
            const auto plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(1), config);
            const std::size_t live_workers = others + 1;
            const std::size_t target = live_workers >= leases ? 1 : (leases + live_workers - 1) / live_workers;
            CHECK(plan.worker_count == live_workers);
            CHECK(plan.lease_count == leases);
            CHECK(plan.target == target);
            CHECK(plan.held == 0);
            CHECK(plan.lease_keys.size() == std::min(target, leases - others));
        }
    }
}

TEST_CASE("lease taker takes expired leases oldest first and no more than it needs") {
    LeaseConfig config;
    // 2 live workers (me and b), c is dead: 6 leases, target 3, I hold 1, so I need 2.
    std::vector<Lease> scan = owned_table({{"me", 1}, {"b", 2}, {"c", 3}});
    LeaseExpiryTracker tracker;
    tracker.update(scan, t0);
    // c's leases stopped at different times on my clock: shard 5 first, then 3, then 4.
    scan[5].lease_counter = 2;
    tracker.update(scan, t0 + seconds(1));
    scan[3].lease_counter = 2;
    tracker.update(scan, t0 + seconds(2));
    scan[4].lease_counter = 2;
    tracker.update(scan, t0 + seconds(3));
    // b and me stay live.
    for (int i : {0, 1, 2}) scan[static_cast<std::size_t>(i)].lease_counter = 5;
    tracker.update(scan, t0 + seconds(12));
    const auto plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(14), config);
    CHECK(plan.reason == Reason::Available);
    CHECK(plan.worker_count == 2);
    CHECK(plan.target == 3);
    CHECK(plan.held == 1);
    CHECK(plan.lease_keys == std::vector<std::string>{shard(5), shard(3)});
}

TEST_CASE("lease taker below its share takes an expired lease and at its share takes nothing") {
    LeaseConfig config;
    std::vector<Lease> scan = owned_table({{"me", 2}, {"b", 2}});
    scan.push_back(lease(shard(10), "dead"));
    LeaseExpiryTracker tracker;
    tracker.update(scan, t0);
    for (int i = 0; i < 4; ++i) scan[static_cast<std::size_t>(i)].lease_counter = 2;
    tracker.update(scan, t0 + seconds(12));
    // 5 leases, 2 live workers: target 3, I hold 2, so I take the expired one.
    auto plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(12), config);
    CHECK(plan.lease_keys == std::vector<std::string>{shard(10)});
    // I hold 3 of the 5 (target 3): nothing, though shard 10 is still available.
    scan[2].lease_owner = "me";
    tracker.update(scan, t0 + seconds(13));
    plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(13), config);
    CHECK(plan.held == 3);
    CHECK(plan.target == 3);
    CHECK(plan.lease_keys.empty());
    CHECK(plan.reason == Reason::None);
}

TEST_CASE("lease taker steals as DynamoDBLeaseTaker.chooseLeasesToSteal does") {
    struct Case {
        const char* name;
        std::vector<std::pair<std::string, int>> holdings;
        std::size_t steal;
        const char* from;
    };
    const std::vector<Case> cases{
        {"most loaded above target and I need one", {{"a", 3}, {"b", 2}, {"me", 1}}, 1, "a"},
        {"balanced 2/2/2 never steals", {{"a", 2}, {"b", 2}, {"me", 2}}, 0, ""},
        {"most loaded at target+1 and I at target-1", {{"a", 4}, {"b", 1}, {"me", 2}}, 1, "a"},
        {"most loaded at target and I need two steals one", {{"a", 3}, {"b", 3}, {"me", 1}}, 1, "a"},
        {"most loaded at target and I need one steals none", {{"a", 3}, {"b", 3}, {"me", 2}}, 0, ""},
        {"a new worker steals one from a worker holding all", {{"a", 6}, {"me", 0}}, 1, "a"},
        {"equally loaded workers: the smallest id", {{"b", 4}, {"a", 4}, {"me", 0}}, 1, "a"},
        {"I am the most loaded", {{"me", 4}, {"a", 1}, {"b", 1}}, 0, ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const std::vector<Lease> scan = owned_table(c.holdings);
        LeaseExpiryTracker tracker;
        tracker.update(scan, t0);
        const auto plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(1), LeaseConfig{});
        CHECK(plan.lease_keys.size() == c.steal);
        CHECK(plan.steal_from == c.from);
        CHECK((plan.reason == Reason::Steal) == (c.steal > 0));
        for (const std::string& key : plan.lease_keys) {
            for (const Lease& l : scan) {
                if (l.lease_key == key) CHECK(l.lease_owner == std::optional<std::string>(c.from));
            }
        }
    }
}

TEST_CASE("lease taker steals up to max_leases_to_steal_at_one_time and never while leases are available") {
    LeaseConfig config;
    config.max_leases_to_steal_at_one_time = 2;
    std::vector<Lease> scan = owned_table({{"a", 6}, {"me", 0}});
    LeaseExpiryTracker tracker;
    tracker.update(scan, t0);
    auto plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(1), config);
    CHECK(plan.reason == Reason::Steal);
    CHECK(plan.lease_keys.size() == 2);

    // One unowned (evicted) lease: taken, and nothing stolen this round.
    scan.push_back(lease(shard(50), std::nullopt, 7));
    tracker.update(scan, t0 + seconds(1));
    scan.back().lease_counter = 8;
    tracker.update(scan, t0 + seconds(2));
    plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(2), config);
    CHECK(plan.reason == Reason::Available);
    CHECK(plan.lease_keys == std::vector<std::string>{shard(50)});
}

TEST_CASE("lease taker takes very old and never renewed leases first, above target, within max_leases_for_worker") {
    LeaseConfig config;
    // I hold 3 of 5 with b holding 1: target 3, yet 1 new unowned lease is taken with priority.
    std::vector<Lease> scan = owned_table({{"me", 3}, {"b", 1}});
    scan.push_back(lease(shard(20), std::nullopt, 0));
    LeaseExpiryTracker tracker;
    tracker.update(scan, t0);
    auto plan = compute_leases_to_take(scan, "me", tracker, t0, config);
    CHECK(plan.reason == Reason::VeryOld);
    CHECK(plan.target == 3);
    CHECK(plan.lease_keys == std::vector<std::string>{shard(20)});

    // Without priority assignment, I am at target: nothing.
    config.priority_lease_assignment = false;
    plan = compute_leases_to_take(scan, "me", tracker, t0, config);
    CHECK(plan.lease_keys.empty());

    // A lease silent for more than 3 x failover counts too; max_leases_for_worker caps it.
    config = LeaseConfig{};
    config.max_leases_for_worker = 3;
    std::vector<Lease> old = owned_table({{"me", 2}, {"dead", 3}});
    LeaseExpiryTracker old_tracker;
    old_tracker.update(old, t0);
    old[0].lease_counter = old[1].lease_counter = 9;
    old_tracker.update(old, t0 + seconds(31));
    plan = compute_leases_to_take(old, "me", old_tracker, t0 + seconds(31), config);
    CHECK(plan.reason == Reason::VeryOld);
    CHECK(plan.lease_keys == std::vector<std::string>{shard(2)});
    // At exactly 3 x failover the leases are only expired: the fair share rules.
    old_tracker = LeaseExpiryTracker{};
    old_tracker.update(old, t0);
    plan = compute_leases_to_take(old, "me", old_tracker, t0 + seconds(30), LeaseConfig{});
    CHECK(plan.reason == Reason::Available);
}

TEST_CASE("lease taker never counts or takes rows that are not leases") {
    std::vector<Lease> scan;
    for (int i = 0; i < 4; ++i) {
        Lease other = lease("metrics-" + std::to_string(i), std::nullopt, 0);
        other.entity_type = "WORKER_METRICS";
        scan.push_back(other);
    }
    Lease owned_other = lease("metrics-owned", "ghost", 3);
    owned_other.entity_type = "SOMETHING_ELSE";
    scan.push_back(owned_other);
    scan.push_back(lease(shard(0), std::nullopt, 0));
    LeaseExpiryTracker tracker;
    tracker.update(scan, t0);
    for (bool priority : {true, false}) {
        CAPTURE(priority);
        LeaseConfig config;
        config.priority_lease_assignment = priority;
        const auto plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(60), config);
        CHECK(plan.lease_count == 1);
        CHECK(plan.worker_count == 1);
        CHECK(plan.lease_keys == std::vector<std::string>{shard(0)});
    }
    // Only non-lease rows: nothing at all.
    scan.pop_back();
    tracker.update(scan, t0);
    const auto plan = compute_leases_to_take(scan, "me", tracker, t0 + seconds(60), LeaseConfig{});
    CHECK(plan.lease_count == 0);
    CHECK(plan.lease_keys.empty());
}

namespace {

// An in-memory lease table with the KCL's conditional writes.
struct FakeTable {
    std::map<std::string, Lease> rows;

    std::vector<Lease> scan() const {
        std::vector<Lease> out;
        for (const auto& [key, row] : rows) out.push_back(row);
        return out;
    }
    // takeLease: conditional on the counter seen; owner set, counter + 1.
    std::optional<std::uint64_t> take(const std::string& key, std::uint64_t seen, const std::string& owner) {
        auto it = rows.find(key);
        if (it == rows.end() || !it->second.is_lease() || it->second.lease_counter != seen) return std::nullopt;
        if (it->second.lease_owner && *it->second.lease_owner != owner) {
            ++it->second.owner_switches_since_checkpoint;
        }
        it->second.lease_owner = owner;
        return ++it->second.lease_counter;
    }
    // renewLease: conditional on counter and owner; counter + 1.
    std::optional<std::uint64_t> renew(const std::string& key, std::uint64_t seen, const std::string& owner) {
        auto it = rows.find(key);
        if (it == rows.end() || it->second.lease_counter != seen || it->second.lease_owner != owner) {
            return std::nullopt;
        }
        return ++it->second.lease_counter;
    }
};

// One worker's renewer and taker, on its own schedule and clock.
struct SimWorker {
    std::string id;
    LeaseConfig config;
    LeaseExpiryTracker tracker;
    std::map<std::string, std::uint64_t> held;  // lease key -> counter this worker wrote
    time_point next_renew;
    time_point next_take;
    bool alive = true;

    void renew(FakeTable& table, time_point now) {
        for (auto it = held.begin(); it != held.end();) {
            // DynamoDBLeaseRenewer does not renew a lease it let expire.
            std::optional<std::uint64_t> counter;
            if (!tracker.expired(it->first, now, config.failover_time)) {
                counter = table.renew(it->first, it->second, id);
            }
            if (counter) {
                it->second = *counter;
                tracker.record_write(it->first, *counter, now);
                ++it;
            } else {
                it = held.erase(it);
            }
        }
    }

    void take(FakeTable& table, time_point now) {
        const auto scan = table.scan();
        tracker.update(scan, now);
        const auto plan = compute_leases_to_take(scan, id, tracker, now, config);
        for (const std::string& key : plan.lease_keys) {
            const auto seen = tracker.counter(key);
            if (!seen) continue;
            if (const auto counter = table.take(key, *seen, id)) {
                held[key] = *counter;
                tracker.record_write(key, *counter, now);
            }
        }
    }
};

struct Fleet {
    FakeTable table;
    std::vector<SimWorker> workers;
    time_point now = t0;

    void add_worker(const std::string& id, milliseconds start_offset) {
        SimWorker w;
        w.id = id;
        w.next_renew = now + start_offset;
        w.next_take = now + start_offset;
        workers.push_back(std::move(w));
    }
    // Runs every worker's renewer and taker on their schedules, in 50 ms steps.
    void run_for(milliseconds span) {
        const time_point end = now + span;
        for (; now < end; now += milliseconds(50)) {
            for (SimWorker& w : workers) {
                if (!w.alive) continue;
                if (now >= w.next_take) {
                    w.take(table, now);
                    w.next_take += kinesis::taker_interval(w.config);
                }
                if (now >= w.next_renew) {
                    w.renew(table, now);
                    w.next_renew += kinesis::renewal_interval(w.config);
                }
            }
        }
    }
    std::map<std::string, std::string> owners() const {
        std::map<std::string, std::string> out;
        for (const auto& [key, row] : table.rows) out[key] = row.lease_owner.value_or("");
        return out;
    }
};

Fleet six_shard_fleet() {
    Fleet fleet;
    for (int i = 0; i < 6; ++i) fleet.table.rows[shard(i)] = lease(shard(i), std::nullopt, 0);
    fleet.add_worker("worker-1", milliseconds(0));
    fleet.add_worker("worker-2", milliseconds(1000));
    fleet.add_worker("worker-3", milliseconds(2500));
    return fleet;
}

}  // namespace

TEST_CASE("lease fleet of 3 workers on 6 shards settles at 2/2/2 within a few rounds and never moves again") {
    Fleet fleet = six_shard_fleet();
    const LeaseConfig config;
    // A few taker rounds: the first worker takes all six new leases, the
    // others steal one each per round until the shares are even.
    fleet.run_for(kinesis::taker_interval(config) * 4);
    const auto settled = fleet.owners();
    CHECK(owner_counts(fleet.table.scan()) ==
          std::map<std::string, int>{{"worker-1", 2}, {"worker-2", 2}, {"worker-3", 2}});
    // Every worker's own view agrees with the table.
    for (const SimWorker& w : fleet.workers) CHECK(w.held.size() == 2);

    // Twenty more rounds: no lease changes hands.
    const auto switches_before = [&fleet] {
        std::uint64_t total = 0;
        for (const auto& [key, row] : fleet.table.rows) total += row.owner_switches_since_checkpoint;
        return total;
    }();
    for (int round = 0; round < 20; ++round) {
        CAPTURE(round);
        fleet.run_for(kinesis::taker_interval(config));
        REQUIRE(fleet.owners() == settled);
    }
    std::uint64_t switches_after = 0;
    for (const auto& [key, row] : fleet.table.rows) switches_after += row.owner_switches_since_checkpoint;
    CHECK(switches_after == switches_before);
}

TEST_CASE("lease fleet: a crashed worker's leases are taken by the others after failover") {
    Fleet fleet = six_shard_fleet();
    const LeaseConfig config;
    fleet.run_for(kinesis::taker_interval(config) * 4);
    REQUIRE(owner_counts(fleet.table.scan()).at("worker-3") == 2);

    fleet.workers[2].alive = false;
    const time_point crash = fleet.now;
    // Within failover nothing moves: the survivors' clocks have not run out.
    fleet.run_for(config.failover_time);
    CHECK(owner_counts(fleet.table.scan()).at("worker-3") == 2);
    // Within three taker rounds the two survivors hold three each.
    fleet.run_for(kinesis::taker_interval(config) * 3);
    CHECK(owner_counts(fleet.table.scan()) == std::map<std::string, int>{{"worker-1", 3}, {"worker-2", 3}});
    CHECK(fleet.now - crash < seconds(100));
    // And stay there.
    const auto settled = fleet.owners();
    fleet.run_for(kinesis::taker_interval(config) * 5);
    CHECK(fleet.owners() == settled);
}

TEST_CASE("lease fleet: a fourth worker joining 2/2/2 gets a lease and nobody thrashes") {
    Fleet fleet = six_shard_fleet();
    const LeaseConfig config;
    fleet.run_for(kinesis::taker_interval(config) * 4);
    fleet.add_worker("worker-4", milliseconds(700));
    // 6 leases, 4 workers: target 2. worker-4 needs 2 and the most loaded
    // holds exactly 2, so it steals one; then it needs 1 and stops.
    fleet.run_for(kinesis::taker_interval(config) * 4);
    const auto counts = owner_counts(fleet.table.scan());
    CHECK(counts.at("worker-4") == 1);
    const auto settled = fleet.owners();
    fleet.run_for(kinesis::taker_interval(config) * 10);
    CHECK(fleet.owners() == settled);
}

TEST_CASE("lease shard order: a child waits until every parent with a lease reached SHARD_END") {
    Lease child = lease(shard(2), std::nullopt, 0);
    child.parent_shard_ids = {shard(0), shard(1)};
    const Lease done = with_checkpoint(lease(shard(0), "a"), ExtendedSequenceNumber::shard_end());
    const Lease running = with_checkpoint(lease(shard(1), "b"), ExtendedSequenceNumber{"4959", 0});

    SUBCASE("both parents at SHARD_END") {
        const Lease other_done = with_checkpoint(lease(shard(1), "b"), ExtendedSequenceNumber::shard_end());
        CHECK(shard_ready_to_process(child, {done, other_done, child}));
    }
    SUBCASE("one parent still running") { CHECK_FALSE(shard_ready_to_process(child, {done, running, child})); }
    SUBCASE("a parent at TRIM_HORIZON blocks") {
        CHECK_FALSE(shard_ready_to_process(child, {done, lease(shard(1), std::nullopt, 0), child}));
    }
    SUBCASE("a parent whose lease is gone does not block") { CHECK(shard_ready_to_process(child, {done, child})); }
    SUBCASE("no parents") { CHECK(shard_ready_to_process(lease(shard(9), "a"), {done, running})); }
    SUBCASE("a row that is not a lease does not stand for a parent") {
        Lease other = running;
        other.entity_type = "WORKER_METRICS";
        CHECK(shard_ready_to_process(child, {done, other, child}));
    }
}

TEST_CASE("lease clean-up: a parent is deleted only after its children began and its own parents are gone") {
    Lease parent = with_checkpoint(lease(shard(0), "a"), ExtendedSequenceNumber::shard_end());
    parent.child_shard_ids = {shard(1), shard(2)};
    const Lease child1 = with_checkpoint(lease(shard(1), "b"), ExtendedSequenceNumber{"4960", 0});
    const Lease child2 = with_checkpoint(lease(shard(2), "c"), ExtendedSequenceNumber{"4961", 2});

    CHECK(parent_lease_deletable(parent, {parent, child1, child2}));
    SUBCASE("a child still at TRIM_HORIZON") {
        CHECK_FALSE(parent_lease_deletable(
            parent, {parent, child1, with_checkpoint(child2, ExtendedSequenceNumber::trim_horizon())}));
    }
    SUBCASE("a child still at AT_TIMESTAMP") {
        CHECK_FALSE(parent_lease_deletable(
            parent, {parent, child1, with_checkpoint(child2, ExtendedSequenceNumber::at_timestamp())}));
    }
    SUBCASE("a child at LATEST counts as begun, as in LeaseCleanupManager") {
        CHECK(parent_lease_deletable(parent,
                                     {parent, child1, with_checkpoint(child2, ExtendedSequenceNumber::latest())}));
    }
    SUBCASE("a child lease missing") { CHECK_FALSE(parent_lease_deletable(parent, {parent, child1})); }
    SUBCASE("children not yet recorded") {
        Lease no_children = parent;
        no_children.child_shard_ids.clear();
        CHECK_FALSE(parent_lease_deletable(no_children, {no_children, child1, child2}));
    }
    SUBCASE("the parent has not reached SHARD_END") {
        const Lease unfinished = with_checkpoint(parent, ExtendedSequenceNumber{"4959", 0});
        CHECK_FALSE(parent_lease_deletable(unfinished, {unfinished, child1, child2}));
    }
    SUBCASE("its own parent's lease is still in the table") {
        Lease middle = parent;
        middle.parent_shard_ids = {shard(7)};
        const Lease grandparent = with_checkpoint(lease(shard(7), "a"), ExtendedSequenceNumber::shard_end());
        CHECK_FALSE(parent_lease_deletable(middle, {grandparent, middle, child1, child2}));
        CHECK(parent_lease_deletable(middle, {middle, child1, child2}));
    }
    SUBCASE("a row that is not a lease is never deletable") {
        Lease other = parent;
        other.entity_type = "WORKER_METRICS";
        CHECK_FALSE(parent_lease_deletable(other, {other, child1, child2}));
    }
}
