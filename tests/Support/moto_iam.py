"""IAM users for a moto that enforces IAM (started with INITIAL_NO_AUTH_ACTION_COUNT=N).

moto checks no call until N calls have been made; `setup` uses that window to create an
administrator, then closes the window at once (POST /moto-api/reset-auth 0) so that every later
call, whoever makes it, is checked. AWSSDK.IdentityManagement is not available to the tests, hence
boto3 here.

  moto_iam.py setup --endpoint URL --region R --user NAME
      Creates the administrator "cnd-test-admin" (allowed everything) and the user NAME with no
      policy yet; prints JSON {"admin": {...}, "user": {...}} with each one's AccessKeyId and
      SecretAccessKey. Needs N >= 6.
  moto_iam.py put-policy --endpoint URL --region R --user NAME --policy FILE   (admin's keys in env)
      Replaces NAME's only inline policy with the document in FILE, as the administrator.
"""
import argparse
import json
import sys
import urllib.request

import boto3

ADMIN = "cnd-test-admin"
POLICY_NAME = "cloudnonce"
ALLOW_EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def iam_client(args, keys=None):
    # Inside the unchecked window any key works; afterwards the caller's own keys are checked.
    keys = keys or {"aws_access_key_id": "cnd-setup", "aws_secret_access_key": "cnd-setup"}
    return boto3.client("iam", endpoint_url=args.endpoint, region_name=args.region, **keys)


def new_user(iam, name):
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}


def setup(args):
    iam = iam_client(args)
    admin = new_user(iam, ADMIN)
    iam.put_user_policy(UserName=ADMIN, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(ALLOW_EVERYTHING))
    user = new_user(iam, args.user)
    request = urllib.request.Request(f"{args.endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
    # Proof that the window is closed: an unknown key is now refused.
    try:
        iam.list_users()
    except iam.exceptions.ClientError:
        pass
    else:
        sys.exit("moto still answers unchecked calls: was it started with INITIAL_NO_AUTH_ACTION_COUNT?")
    json.dump({"admin": admin, "user": user}, sys.stdout)


def put_policy(args):
    iam = boto3.client("iam", endpoint_url=args.endpoint, region_name=args.region)
    with open(args.policy, encoding="utf-8") as f:
        document = f.read()
    iam.put_user_policy(UserName=args.user, PolicyName=POLICY_NAME, PolicyDocument=document)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["setup", "put-policy"])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--policy")
    args = parser.parse_args()
    if args.command == "setup":
        setup(args)
    else:
        put_policy(args)


if __name__ == "__main__":
    main()
