package dev.srv6sh.shell;

import dev.srv6sh.dataplane.config.Prefix;
import dev.srv6sh.interpreter.Interpreter;
import java.net.URI;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What run, plan, apply and destroy tell a cloud backend (aws): its endpoint, profile and the operator's CIDR. */
final class CloudOptions {
    @Option(
            names = "--endpoint-url",
            paramLabel = "URL",
            converter = Endpoint.class,
            description = "aws: send every AWS API call to URL instead of AWS (a moto_server in tests)")
    URI endpoint;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "aws: the credentials profile (~/.aws/config); default: the SDK's default chain"
                    + " (environment, profile, SSO, instance role)")
    String profile;

    @Option(
            names = "--operator-cidr",
            paramLabel = "CIDR",
            converter = Cidr.class,
            description = "aws: the only addresses the routers' SSH is open to; default: this machine's public"
                    + " address (/32), or 127.0.0.1/32 with --endpoint-url")
    String operatorCidr;

    Interpreter.Cloud cloud() {
        return new Interpreter.Cloud(endpoint, profile, operatorCidr);
    }

    /** {@code --endpoint-url}: an http or https URL. */
    static final class Endpoint implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                URI u = new URI(value);
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                    return u;
                }
            } catch (java.net.URISyntaxException e) {
                // below
            }
            throw new TypeConversionException("'" + value + "' is not an http or https URL (http://127.0.0.1:5000)");
        }
    }

    /** {@code --operator-cidr}: a prefix. */
    static final class Cidr implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Prefix.parse(value).network().toString();
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a prefix (203.0.113.7/32)");
            }
        }
    }
}
