// SPDX-License-Identifier: Apache-2.0
// For comparison with benchmarks/producer_bench.cpp: the JS SDK world's reference KPL
// aggregator (npm aws-kinesis-agg) aggregating the same kind of records (100 random
// bytes, random 16-36 character keys) with its aggregate() API, one callback per encoded
// record. It packs up to 1 MiB per aggregate, with no shard grouping, no MD5 of the keys,
// no base64, no request and no network: aggregation only. The records are made in
// batches before each timed aggregate() call; CPU is process.cpuUsage() (every thread of
// node, its GC included) over the aggregate() calls alone.
//   node kinesis_agg.js <path of aws-kinesis-agg> [records]
'use strict';
const agg = require(process.argv[2]);
const total = Number(process.argv[3] || 2000000);
const batch = 100000;
const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

// xorshift32: the same records every run.
let state = 2463534242;
function next() {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
}
function makeBatch(n) {
    const records = new Array(n);
    for (let i = 0; i < n; i++) {
        const data = Buffer.allocUnsafe(100);
        for (let j = 0; j < 100; j += 4) data.writeUInt32LE(next(), j);
        const length = 16 + (next() % 21);
        let key = '';
        for (let j = 0; j < length; j++) key += alphabet[next() % 62];
        records[i] = { partitionKey: key, data };
    }
    return records;
}

function aggregateBatch(records) {
    return new Promise((resolve, reject) => {
        let encoded = 0;
        agg.aggregate(records,
            (record, done) => { encoded += 1; done(); },
            () => resolve(encoded),
            (error) => reject(error));
    });
}

(async () => {
    await aggregateBatch(makeBatch(batch));  // warm the JIT
    let cpuMicros = 0;
    let wallNs = 0n;
    let aggregates = 0;
    for (let done = 0; done < total; done += batch) {
        const records = makeBatch(Math.min(batch, total - done));
        const cpu0 = process.cpuUsage();
        const wall0 = process.hrtime.bigint();
        aggregates += await aggregateBatch(records);
        wallNs += process.hrtime.bigint() - wall0;
        const cpu = process.cpuUsage(cpu0);
        cpuMicros += cpu.user + cpu.system;
    }
    const version = require(process.argv[2] + '/package.json').version;
    console.log(`compare: aws-kinesis-agg ${version} (node ${process.version}) aggregate(): ${total} records ` +
        `into ${aggregates} aggregates of up to 1 MiB: ${Math.round(total / (cpuMicros / 1e6))} records per CPU s, ` +
        `${Math.round(total / (Number(wallNs) / 1e9))} per wall s, ${(cpuMicros / total).toFixed(3)} us CPU per record`);
})().catch((error) => { console.error(error); process.exit(1); });
