package dev.heatgrid.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command line for a child JVM like this one starts (demo's solver and viewers, bench's
 * suite): this JVM's {@code java}, native access for the futex calls, and this JVM's HotSpot options,
 * which the launcher chose (compiler directives: a truncated file is an error, not a crash; compile
 * commands: the vector loops compiled early). The caller adds modules, properties, class path and main.
 */
final class JvmLikeThisOne {
    private JvmLikeThisOne() {
    }

    static List<String> command() {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-XX:"))
                .forEach(command::add);
        return command;
    }
}
