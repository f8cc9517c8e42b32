"""IAM users for a moto that enforces IAM (started with INITIAL_NO_AUTH_ACTION_COUNT=N, N >= 3).

moto checks no call until N calls have been made. This uses that window to create an administrator
(allowed everything), closes it at once (POST /moto-api/reset-auth 0) so that every later call,
whoever makes it, is checked, and then, as the administrator, creates one user per entry of the
policy file, with that policy as its only one. AWSSDK.IdentityManagement is not available to the
tests, hence boto3 here; one process for every user, as each Python start costs seconds on a busy
machine.

  moto_iam.py --endpoint URL --region R --users FILE
      FILE: JSON {"user-name": <policy document>, ...}. Prints JSON
      {"admin": {"AccessKeyId", "SecretAccessKey"}, "users": {"user-name": {...}, ...}}.
"""
import argparse
import json
import sys
import urllib.request

import boto3

ADMIN = "cnd-test-admin"
POLICY_NAME = "cloudnonce"
ALLOW_EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def new_user(iam, name, policy):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}


def close_unchecked_window(endpoint):
    request = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--users", required=True)
    args = parser.parse_args()
    with open(args.users, encoding="utf-8") as f:
        policies = json.load(f)

    def iam(keys):
        return boto3.client("iam", endpoint_url=args.endpoint, region_name=args.region,
                            aws_access_key_id=keys["AccessKeyId"], aws_secret_access_key=keys["SecretAccessKey"])

    # Inside the unchecked window any key works.
    admin = new_user(iam({"AccessKeyId": "cnd-setup", "SecretAccessKey": "cnd-setup"}), ADMIN, ALLOW_EVERYTHING)
    close_unchecked_window(args.endpoint)
    as_admin = iam(admin)
    try:
        iam({"AccessKeyId": "cnd-setup", "SecretAccessKey": "cnd-setup"}).list_users()
    except as_admin.exceptions.ClientError:
        pass
    else:
        sys.exit("moto still answers unchecked calls: was it started with INITIAL_NO_AUTH_ACTION_COUNT?")
    users = {name: new_user(as_admin, name, policy) for name, policy in policies.items()}
    json.dump({"admin": admin, "users": users}, sys.stdout)


if __name__ == "__main__":
    main()
