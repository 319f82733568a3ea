#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Turns a fresh moto_server started with INITIAL_NO_AUTH_ACTION_COUNT=3 into one
that verifies SigV4: the three unchecked calls create an IAM user allowed every
action and an access key for it; every later request must be signed with that
key. Then proves it: a wrong secret and an unknown key id are rejected, the
right key is accepted.

Usage: moto_bootstrap.py ENDPOINT OUTPUT_FILE
Writes "ACCESS_KEY_ID SECRET_ACCESS_KEY" to OUTPUT_FILE (never to stdout, so
the secret stays out of logs). Exits non-zero with a one-line reason on failure.
"""

import json
import os
import sys

import boto3
import botocore.config
import botocore.exceptions

# Exactly the number of calls below that run before verification starts;
# scripts/endpoints.sh starts moto with this count.
UNCHECKED_CALLS = 3
USER = "kinesis-cpp-test"
REGION = "us-east-1"


def client(service, endpoint, key_id, secret):
    return boto3.session.Session().client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def expect_rejected(endpoint, key_id, secret, expected_code):
    sts = client("sts", endpoint, key_id, secret)
    try:
        sts.get_caller_identity()
    except botocore.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code != expected_code:
            sys.exit(f"moto_bootstrap: expected {expected_code}, got {code}")
        return
    sys.exit(f"moto_bootstrap: a request that should fail with {expected_code} was accepted: "
             "moto is not verifying signatures")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: moto_bootstrap.py ENDPOINT OUTPUT_FILE")
    endpoint, output = sys.argv[1], sys.argv[2]
    # The developer's own profile must not influence anything here.
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

    iam = client("iam", endpoint, "testing", "testing")
    iam.create_user(UserName=USER)
    iam.put_user_policy(
        UserName=USER,
        PolicyName="allow-everything",
        PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }),
    )
    key = iam.create_access_key(UserName=USER)["AccessKey"]
    key_id, secret = key["AccessKeyId"], key["SecretAccessKey"]

    expect_rejected(endpoint, key_id, secret[:-1] + ("A" if secret[-1] != "A" else "B"),
                    "SignatureDoesNotMatch")
    expect_rejected(endpoint, "AKIAIOSFODNN7EXAMPLE", secret, "InvalidClientTokenId")
    arn = client("sts", endpoint, key_id, secret).get_caller_identity()["Arn"]
    if not arn.endswith(f":user/{USER}"):
        sys.exit(f"moto_bootstrap: the new key is accepted but identifies {arn}")

    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(f"{key_id} {secret}\n")
    print(f"moto_bootstrap: {endpoint} verifies SigV4; {arn} may do everything")


if __name__ == "__main__":
    main()
