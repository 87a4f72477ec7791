/** The aws backend on the AWS SDK for Java v2. */
package dev.srv6sh.aws;
