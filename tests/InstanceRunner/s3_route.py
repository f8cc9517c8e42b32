"""Whether an instance could reach S3, decided from the emulator the way the AWS documentation puts it
(VPC user guide: "Enable internet access for a VPC using an internet gateway", "NAT gateways",
"Gateway endpoints for Amazon S3"): a public IPv4 address and a 0.0.0.0/0 route to an internet gateway,
or a 0.0.0.0/0 route to a NAT gateway, or a route to the S3 gateway endpoint's prefix list, in the
route table of its subnet (the one associated with the subnet, else the VPC's main table).

The emulator models all of these but never checks them; the runner keeps the user-data of an instance
that has none of them away from S3 (instance_process.py), as the fault plan's aws.s3Reachability asks.
"""
from botocore.exceptions import BotoCoreError, ClientError

ANYWHERE = "0.0.0.0/0"


def verdict(ec2, region, instance):
    """"public-ip+igw", "nat", "s3-endpoint" or "none: <why>" for an instance as DescribeInstances gives it."""
    subnet, vpc = instance.get("SubnetId"), instance.get("VpcId")
    if not subnet or not vpc:
        return "none: the instance is in no subnet"
    try:
        table = _route_table(ec2, subnet, vpc)
        if table is None:
            return f"none: neither subnet {subnet} nor VPC {vpc} has a route table"
        routes = table.get("Routes", [])
        public_ip = instance.get("PublicIpAddress")
        default = [r for r in routes if r.get("DestinationCidrBlock") == ANYWHERE and r.get("State", "active") == "active"]
        if public_ip and any(r.get("GatewayId", "").startswith("igw-") for r in default):
            return "public-ip+igw"
        if any(r.get("NatGatewayId", "").startswith("nat-") for r in default):
            return "nat"
        s3_lists = _s3_prefix_lists(ec2, region)
        if any(r.get("DestinationPrefixListId") in s3_lists and r.get("GatewayId", "").startswith("vpce-") for r in routes):
            return "s3-endpoint"
    except (BotoCoreError, ClientError) as e:
        return f"none: cannot read the network of {subnet}: {e}"
    if any(r.get("GatewayId", "").startswith("igw-") for r in default):
        return f"none: no public IPv4 address, and route table {table['RouteTableId']} has no NAT gateway or S3 endpoint route"
    return (f"none: route table {table['RouteTableId']} has no route to an internet gateway, a NAT gateway "
            "or an S3 gateway endpoint")


def _route_table(ec2, subnet, vpc):
    for filters in ([{"Name": "association.subnet-id", "Values": [subnet]}],
                    [{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]):
        tables = ec2.describe_route_tables(Filters=filters)["RouteTables"]
        if tables:
            return tables[0]
    return None


def _s3_prefix_lists(ec2, region):
    lists = ec2.describe_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": [f"com.amazonaws.{region}.s3"]}])
    return {p["PrefixListId"] for p in lists["PrefixLists"]}
