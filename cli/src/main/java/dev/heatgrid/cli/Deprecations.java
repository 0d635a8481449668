package dev.heatgrid.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Old spellings that still work: a hidden option whose description is {@link #PREFIX} followed by
 * its replacement is announced with one line on stderr before the command runs, e.g.
 * {@code heatgrid view: --png is deprecated; use --out FILE (the old spelling still works for now)}.
 * docs/CLI.md lists every one.
 */
final class Deprecations {
    /** Description of a deprecated option: this prefix, then what to write instead. */
    static final String PREFIX = "deprecated, use ";

    private Deprecations() {
    }

    /** Announces every deprecated option the user typed, in the command that owns it. */
    static void announce(ParseResult parseResult) {
        for (ParseResult r = parseResult; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
            for (OptionSpec option : r.matchedOptions()) {
                String[] description = option.description();
                if (option.hidden() && description.length > 0 && description[0].startsWith(PREFIX)) {
                    note(r.commandSpec(), option.longestName(), description[0].substring(PREFIX.length()));
                }
            }
        }
    }

    /** One line: {@code heatgrid CMD: OLD is deprecated; use NEW (the old spelling still works for now)}. */
    static void note(CommandSpec command, String old, String replacement) {
        PrintWriter err = command.commandLine().getErr();
        err.println(command.qualifiedName() + ": " + old + " is deprecated; use " + replacement
                + " (the old spelling still works for now)");
        err.flush();
    }
}
