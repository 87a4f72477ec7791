/**
 * The aws backend: a script's topology on EC2 (VPCs, subnets, gateways, route tables, security
 * groups, ENIs, router and host instances), reconciled the way Terraform users expect, through the
 * AWS SDK for Java v2. The SDK stays in this module: nothing else loads it unless a script asks for
 * {@code --backend aws}.
 */
module srv6sh.aws {
    requires transitive srv6sh.cloud;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.services.ec2;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.services.ssm;
    requires software.amazon.awssdk.services.sts;
    requires software.amazon.awssdk.utils;
    requires org.apache.sshd.osgi; // the SSH clients: routers' agents, hosts' exec
    requires software.amazon.awssdk.retries.api;
    requires java.net.http; // the operator's public address, when no --operator-cidr is given

    exports dev.srv6sh.aws;

    uses dev.srv6sh.aws.Bootstrap; // another bootstrap than CloudInitBootstrap, where one is provided

    provides dev.srv6sh.cloud.ProviderFactory with
            dev.srv6sh.aws.AwsProviderFactory;
}
