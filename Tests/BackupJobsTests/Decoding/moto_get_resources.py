"""Creates tagged resources (EBS volumes, an RDS instance, a DynamoDB table) in a moto server and
writes the raw GetResources response bodies, two resources a page, to DIR/page-N.json; prints the
pages' count and each resource's tags as boto3's paginator reads them, for InventoryMotoTests."""
import json, os, sys, urllib.request
import boto3
from moto.server import ThreadedMotoServer

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
# The raw body, not a parsed one: GetResources is a JSON 1.1 POST; moto does not check signatures.
server.start()
try:
    endpoint = "http://127.0.0.1:%d" % server.get_host_and_port()[1]
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **kw)
    for i in range(3):
        ec2.create_volume(AvailabilityZone="us-east-1a", Size=1, TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "backup", "Value": "required"}, {"Key": "n", "Value": str(i)}]}])
    rds = boto3.client("rds", **kw)
    rds.create_db_instance(DBInstanceIdentifier="orders", DBInstanceClass="db.t3.micro", Engine="postgres", MasterUsername="u", MasterUserPassword="password1", AllocatedStorage=20, Tags=[{"Key": "backup", "Value": "required"}])
    ddb = boto3.client("dynamodb", **kw)
    ddb.create_table(TableName="events", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST", Tags=[{"Key": "backup", "Value": "none"}])
    bodies, token = [], None
    while True:
        body = {"ResourcesPerPage": 2}
        if token: body["PaginationToken"] = token
        request = urllib.request.Request(endpoint + "/", data=json.dumps(body).encode(), method="POST", headers={
            "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "ResourceGroupsTaggingAPI_20170126.GetResources",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/tagging/aws4_request, SignedHeaders=host, Signature=0"})
        raw = urllib.request.urlopen(request).read()
        bodies.append(raw)
        token = json.loads(raw).get("PaginationToken")
        if not token: break
    for number, raw in enumerate(bodies, 1):
        open(os.path.join(sys.argv[1], "page-%d.json" % number), "wb").write(raw)
    expected = {}
    for page in boto3.client("resourcegroupstaggingapi", **kw).get_paginator("get_resources").paginate():
        for m in page["ResourceTagMappingList"]:
            expected[m["ResourceARN"]] = {t["Key"]: t["Value"] for t in m["Tags"]}
    print(json.dumps({"pages": len(bodies), "resources": expected}))
finally:
    server.stop()
