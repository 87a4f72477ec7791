package dev.srv6sh.shell;

import dev.srv6sh.interpreter.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values checked as the command line is read, so that a wrong one is a usage error (exit 2,
 * "Invalid value for option '--backend': ...", then "Try '... --help'") before anything runs, and
 * not a failure at the script's {@code apply} line, or after a campaign's measurements, at its
 * {@code save}.
 */
final class OptionValues {
    private OptionValues() {}

    /** {@code --backend}: one of the backends srv6sh has. */
    static final class Backend implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String unknown = Interpreter.unknownBackend(value);
            if (unknown != null) {
                throw new TypeConversionException(unknown);
            }
            return value;
        }
    }

    /** {@code --dir}: a directory, or a path where one can be made (save and chart make it). */
    static final class Directory implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = Path.of(value);
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new TypeConversionException("'" + value + "' is a file, not a directory");
            }
            return p;
        }
    }
}
