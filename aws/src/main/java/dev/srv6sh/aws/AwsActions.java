package dev.srv6sh.aws;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every AWS API operation the aws backend calls, with the IAM action that allows it: the one list
 * that {@code srv6sh aws policy} prints as the least-privilege policy, and that a test holds against
 * the operations recorded during a full apply, plan and destroy on moto_server (both ways).
 */
public final class AwsActions {
    private AwsActions() {}

    /**
     * One operation: {@code service} and {@code operation} as the SDK names them (what an execution
     * interceptor records), the IAM action, and why it is there when a moto run does not show it
     * ({@code moto} non-null: a path moto cannot take; see docs/aws.md).
     */
    public record Action(String service, String operation, String iam, String moto) {
        Action(String service, String operation, String iam) {
            this(service, operation, iam, null);
        }

        /** {@code ec2:CreateVpc}: how a recorded call is written. */
        public String call() {
            return service + ":" + operation;
        }

        /** Whether the call changes something (the rest only reads). */
        public boolean mutating() {
            return isMutating(operation);
        }
    }

    /** Whether an operation named {@code operation} changes something: all but Describe, Get, List and Head. */
    public static boolean isMutating(String operation) {
        return !(operation.startsWith("Describe")
                || operation.startsWith("Get")
                || operation.startsWith("List")
                || operation.startsWith("Head"));
    }

    private static Action ec2(String op) {
        return new Action("ec2", op, "ec2:" + op);
    }

    public static final List<Action> ALL = List.of(
            new Action("sts", "GetCallerIdentity", "sts:GetCallerIdentity"),
            new Action("ssm", "GetParameter", "ssm:GetParameter"),
            ec2("DescribeAvailabilityZones"),
            ec2("DescribeVpcs"),
            ec2("CreateVpc"),
            new Action(
                    "ec2",
                    "AssociateVpcCidrBlock",
                    "ec2:AssociateVpcCidrBlock",
                    "only for a VPC of the stack that lost its IPv6 block (CreateVpc asks for the /56); a new /56"
                            + " then differs from the subnets', which a destroy and apply replace"),
            ec2("DeleteVpc"),
            ec2("DescribeSubnets"),
            ec2("CreateSubnet"),
            ec2("DeleteSubnet"),
            ec2("DescribeInternetGateways"),
            ec2("CreateInternetGateway"),
            ec2("AttachInternetGateway"),
            ec2("DetachInternetGateway"),
            ec2("DeleteInternetGateway"),
            ec2("DescribeRouteTables"),
            ec2("CreateRouteTable"),
            ec2("AssociateRouteTable"),
            ec2("DisassociateRouteTable"),
            ec2("DeleteRouteTable"),
            ec2("CreateRoute"),
            ec2("ReplaceRoute"),
            ec2("DeleteRoute"),
            ec2("DescribeSecurityGroups"),
            ec2("CreateSecurityGroup"),
            ec2("AuthorizeSecurityGroupIngress"),
            ec2("AuthorizeSecurityGroupEgress"),
            ec2("RevokeSecurityGroupIngress"),
            ec2("RevokeSecurityGroupEgress"),
            ec2("DeleteSecurityGroup"),
            ec2("DescribeNetworkInterfaces"),
            ec2("CreateNetworkInterface"),
            ec2("ModifyNetworkInterfaceAttribute"),
            new Action(
                    "ec2",
                    "AssignIpv6Addresses",
                    "ec2:AssignIpv6Addresses",
                    "the fallback when the transit ENI refuses the locator as a /80 prefix; moto takes it because"
                            + " it accepts the prefix and drops it"),
            ec2("DetachNetworkInterface"),
            ec2("DeleteNetworkInterface"),
            ec2("DescribeAddresses"),
            ec2("AllocateAddress"),
            ec2("AssociateAddress"),
            ec2("DisassociateAddress"),
            ec2("ReleaseAddress"),
            ec2("DescribeKeyPairs"),
            ec2("ImportKeyPair"),
            ec2("DeleteKeyPair"),
            ec2("DescribeInstances"),
            ec2("RunInstances"),
            ec2("TerminateInstances"),
            ec2("GetConsoleOutput"),
            new Action(
                    "ec2",
                    "CreateTags",
                    "ec2:CreateTags",
                    "never called: every resource is tagged as it is created (TagSpecifications), which IAM"
                            + " authorizes as ec2:CreateTags"),
            new Action("s3", "HeadBucket", "s3:ListBucket"),
            new Action("s3", "CreateBucket", "s3:CreateBucket"),
            new Action("s3", "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
            new Action("s3", "PutBucketTagging", "s3:PutBucketTagging"),
            new Action("s3", "GetBucketTagging", "s3:GetBucketTagging"),
            new Action("s3", "HeadObject", "s3:GetObject"),
            // presigned, not called: the URLs in a router's user-data are signed for GetObject
            new Action("s3", "GetObject", "s3:GetObject"),
            new Action("s3", "PutObject", "s3:PutObject"),
            new Action("s3", "ListObjectsV2", "s3:ListBucket"),
            new Action("s3", "DeleteObjects", "s3:DeleteObject"),
            new Action("s3", "DeleteBucket", "s3:DeleteBucket"));

    /** The calls as {@code service:Operation}. */
    public static Set<String> calls() {
        return ALL.stream().map(Action::call).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The IAM policy document (JSON) that allows exactly these actions. Resources are {@code *}: the
     * stack's resources do not exist before its first apply; docs/aws.md shows how to narrow the
     * destructive actions to the stack's tag.
     */
    public static String policy() {
        Set<String> iam = ALL.stream().map(Action::iam).collect(Collectors.toCollection(TreeSet::new));
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n");
        sb.append("      \"Sid\": \"Srv6shAwsBackend\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\n");
        sb.append(iam.stream().map(a -> "        \"" + a + "\"").collect(Collectors.joining(",\n")));
        sb.append("\n      ],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n");
        return sb.toString();
    }
}
