// SPDX-License-Identifier: Apache-2.0
// The AWS SDK for JavaScript v3 doing the peers table's work (benchmarks/peers/run):
//   node peers_js.js NODE_MODULES NGINX_ENDPOINT SHAPES_JSON
// Prints one JSON object: microseconds of this process's CPU per operation.
'use strict';
const path = require('path');
const { Readable } = require('stream');

const modules = process.argv[2];
const nginx = process.argv[3];
const need = (name) => require(path.join(modules, name));
const { KinesisClient, PutRecordsCommand, GetRecordsCommand } = need('@aws-sdk/client-kinesis');
const { SignatureV4 } = need('@smithy/signature-v4');
const { Sha256 } = need('@smithy/core/checksum');
const { HttpRequest, HttpResponse } = need('@smithy/core/protocols');
const { NodeHttpHandler } = need('@smithy/node-http-handler');
const shapes = JSON.parse(require('fs').readFileSync(process.argv[4], 'utf8'));

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const cpuMicros = (since) => { const u = process.cpuUsage(since); return u.user + u.system; };

// CPU per call of `fn` (async), after a warm-up that lets the JIT settle.
async function perCall(fn, iterations) {
    for (let i = 0; i < Math.max(20, iterations / 10); i++) await fn();
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) await fn();
    return cpuMicros(start) / iterations;
}

function records() {
    return shapes.put_records.map((r) => ({ Data: Buffer.from(r.data_base64, 'base64'), PartitionKey: r.partition_key }));
}

// Answers every request at once with `body`, never touching the network.
function cannedHandler(body) {
    return {
        handle: async () => ({
            response: new HttpResponse({
                statusCode: 200,
                headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'r' },
                body: Readable.from([Buffer.from(body)]),
            }),
        }),
        updateHttpClientConfig() {},
        httpHandlerConfigs() { return {}; },
    };
}

function client(extra) {
    return new KinesisClient({ region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

(async () => {
    const out = {};

    // SigV4: the PutRecord request of shapes.json, signed as the client would.
    const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'kinesis', sha256: Sha256 });
    const signingDate = new Date('2015-08-30T12:36:00Z');
    out.sign_put_record = await perCall(() => signer.sign(new HttpRequest({
        method: 'POST', protocol: 'https:', hostname: 'kinesis.us-east-1.amazonaws.com', path: '/',
        headers: {
            'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecord',
            host: 'kinesis.us-east-1.amazonaws.com',
        },
        body: shapes.put_record_body,
    }), { signingDate }), 20000);

    // The PutRecords request of 500 x 100 B: the command's checks and serializer.
    // A middleware right after serialization ends the call before signing and sending.
    const stop = new Error('serialized');
    const serializeOnly = client({ endpoint: 'http://127.0.0.1:1' });
    serializeOnly.middlewareStack.add(() => async () => { throw stop; }, { step: 'build', priority: 'high' });
    const input = { StreamName: 'bench', Records: records() };
    out.put_records_body = await perCall(async () => {
        try { await serializeOnly.send(new PutRecordsCommand(input)); } catch (e) { if (e !== stop) throw e; }
    }, 2000);

    // GetRecords: 1,000 records parsed, less the same call with an empty answer
    // (signing, serializing and the middleware around the parse).
    const full = client({ endpoint: 'http://127.0.0.1:1', requestHandler: cannedHandler(shapes.get_records_answer) });
    const empty = client({ endpoint: 'http://127.0.0.1:1', requestHandler: cannedHandler(shapes.get_records_empty) });
    const get = new GetRecordsCommand({ ShardIterator: 'AAAA', Limit: 10000 });
    const withRecords = await perCall(() => full.send(get), 500);
    const without = await perCall(() => empty.send(get), 2000);
    out.get_records_parse = withRecords - without;

    // A whole PutRecords call of 500 x 100 B against nginx, one keep-alive connection.
    const http = client({ endpoint: nginx, requestHandler: new NodeHttpHandler({ httpAgent: new (require('http').Agent)({ keepAlive: true, maxSockets: 1 }) }) });
    out.put_records_call = await perCall(() => http.send(new PutRecordsCommand(input)), 500);

    out.version = require(path.join(modules, '@aws-sdk/client-kinesis/package.json')).version;
    out.node = process.version;
    console.log(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
