#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The reference side of the KPL aggregation interop test: aws-kinesis-agg (pinned in scripts/setup)
// deaggregates our aggregates, and aggregates records for our decoder. Keys and data cross as hex.
//
//   node kpl_agg_interop.js MODULE_DIR deaggregate DIR
//     every DIR/*.bin, deaggregated (checksums verified): prints
//     {"aggregates":[{"file":..,"records":[{"pk":hex,"ehk":hex|null,"sub":n,"data":hex}]}]}
//   node kpl_agg_interop.js MODULE_DIR aggregate INPUT.json DIR
//     INPUT is {"aggregates":[[{"pk":hex,"ehk":hex|null,"data":hex}, ...], ...]}; writes each group's
//     aggregate to DIR/NNNN.bin and prints {"aggregates":[{"file":..,"pk":..,"ehk":..}]} (the outer keys)
// A missing module, a bad checksum or any other error exits non-zero.
'use strict';

const fs = require('fs');
const path = require('path');

function fail(message) {
    process.stderr.write(`kpl_agg_interop.js: ${message}\n`);
    process.exit(1);
}

const [moduleDir, mode, ...args] = process.argv.slice(2);
if (!moduleDir || !mode) fail('usage: kpl_agg_interop.js MODULE_DIR deaggregate DIR | aggregate INPUT.json DIR');

let agg;
let common;
try {
    agg = require(path.resolve(moduleDir));
    common = require(path.join(path.resolve(moduleDir), 'lib', 'common.js'));
} catch (e) {
    fail(`cannot load aws-kinesis-agg from ${moduleDir} (run scripts/setup): ${e.message}`);
}

const hex = (buffer) => Buffer.from(buffer).toString('hex');
const keyHex = (text) => Buffer.from(text, 'utf8').toString('hex');
const keyText = (hexText) => Buffer.from(hexText, 'hex').toString('utf8');

function deaggregateDir(dir) {
    const files = fs.readdirSync(dir).filter((name) => name.endsWith('.bin')).sort();
    const aggregates = [];
    for (const file of files) {
        const bytes = fs.readFileSync(path.join(dir, file));
        const kinesisRecord = {
            partitionKey: 'outer',
            sequenceNumber: '1',
            data: bytes.toString('base64'),
        };
        let userRecords;
        agg.deaggregateSync(kinesisRecord, true, (err, records) => {
            if (err) fail(`${file}: ${err.message || err}`);
            userRecords = records;
        });
        // deaggregateSync reports an absent explicit_hash_key_index as entry 0 of the table
        // (protobufjs's default), so whether a record has one is read from the decoded message.
        const message = common.AggregatedRecord.decode(bytes.subarray(4, bytes.length - 16));
        if (message.records.length !== userRecords.length) fail(`${file}: record counts differ`);
        aggregates.push({
            file,
            records: userRecords.map((record, i) => {
                const hasEhk = Object.prototype.hasOwnProperty.call(message.records[i], 'explicit_hash_key_index');
                return {
                    pk: keyHex(record.partitionKey),
                    ehk: hasEhk ? keyHex(record.explicitPartitionKey) : null,
                    sub: record.subSequenceNumber,
                    data: Buffer.from(record.data, 'base64').toString('hex'),
                };
            }),
        });
    }
    return {aggregates};
}

function aggregateInput(inputPath, dir) {
    const input = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
    const aggregator = new agg.RecordAggregator();
    const aggregates = [];
    input.aggregates.forEach((group, n) => {
        for (const record of group) {
            const userRecord = {partitionKey: keyText(record.pk), data: Buffer.from(record.data, 'hex')};
            if (record.ehk !== null) userRecord.explicitHashKey = keyText(record.ehk);
            if (!aggregator.checkIfUserRecordFits(userRecord)) fail(`group ${n} does not fit one aggregate`);
            aggregator.addUserRecord(userRecord);
        }
        const encoded = aggregator.build();
        const file = `${String(n).padStart(4, '0')}.bin`;
        fs.writeFileSync(path.join(dir, file), encoded.data);
        aggregates.push({
            file,
            pk: keyHex(encoded.partitionKey),
            ehk: encoded.ExplicitHashKey === undefined ? null : keyHex(encoded.ExplicitHashKey),
        });
    });
    return {aggregates};
}

try {
    let result;
    if (mode === 'deaggregate' && args.length === 1) {
        result = deaggregateDir(args[0]);
    } else if (mode === 'aggregate' && args.length === 2) {
        result = aggregateInput(args[0], args[1]);
    } else {
        fail(`unknown mode or arguments: ${mode} ${args.join(' ')}`);
    }
    process.stdout.write(JSON.stringify(result) + '\n');
} catch (e) {
    fail(e.stack || String(e));
}
