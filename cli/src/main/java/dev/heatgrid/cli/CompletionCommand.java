package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heatgrid generate-completion}: picocli's bash/zsh completion script, with SEGMENT arguments
 * completing from the segments that exist when you press Tab (the names in /dev/shm, without their
 * .hgrid), and from files and folders once the word holds a '/'.
 */
@Command(name = "generate-completion", description = {"Print a bash/zsh completion script for heatgrid.",
        "Use it with: source <(heatgrid generate-completion)   (zsh: autoload -U bashcompinit; bashcompinit first)",
        "or install it once for every new bash: heatgrid generate-completion --install",
        "Segment names complete from the segments that exist when you press Tab."})
final class CompletionCommand implements Callable<Integer> {
    /**
     * What picocli writes as the candidate list of a SEGMENT argument: a placeholder this command
     * replaces with a call to a shell function, since picocli's lists are fixed when the script is made.
     */
    static final String PLACEHOLDER = "__heatgrid_segment_names__";

    @Spec
    CommandSpec spec;

    @Option(names = "--install", description = "Write the script where bash-completion looks for it"
            + " ($XDG_DATA_HOME/bash-completion/completions/heatgrid, default ~/.local/share/...) instead of printing it.")
    boolean install;

    /** The completion candidates of every SEGMENT argument: the placeholder. */
    static final class SegmentCandidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(PLACEHOLDER).iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        String script = script(spec.root().commandLine());
        PrintWriter out = spec.commandLine().getOut();
        if (install) {
            Path file = installedScript(System.getenv("XDG_DATA_HOME"), System.getProperty("user.home"),
                    spec.root().name());
            Files.createDirectories(file.getParent());
            Files.writeString(file, script);
            out.println("wrote " + file + ": new bash shells complete " + spec.root().name() + " (with the"
                    + " bash-completion package; without it, add 'source " + file + "' to ~/.bashrc)");
        } else {
            out.print(script);
        }
        out.flush();
        return 0;
    }

    /** Where bash-completion 2 loads a command's completion from on first use: per user, no root needed. */
    static Path installedScript(String xdgDataHome, String home, String command) {
        Path data = xdgDataHome != null && !xdgDataHome.isBlank() && Path.of(xdgDataHome).isAbsolute()
                ? Path.of(xdgDataHome) : Path.of(home, ".local", "share");
        return data.resolve("bash-completion").resolve("completions").resolve(command);
    }

    static String script(picocli.CommandLine root) {
        String picocli = AutoComplete.bash(root.getCommandName(), root);
        String list = "positionals=$( compReplyArray \"${SEGMENT_pos_param_args[@]}\" )";
        if (!picocli.contains(list)) {
            throw new IllegalStateException("picocli's completion script changed: no SEGMENT candidates to replace");
        }
        String directory = SegmentNames.defaultDirectory().toString();
        return picocli.replace("  local SEGMENT_pos_param_args=(\"" + PLACEHOLDER + "\") # 0-0 values\n", "")
                .replace(list, "type compopt &>/dev/null && compopt -o filenames; positionals=$( _heatgrid_segments"
                        + " \"${curr_word}\" )")
                + """

                # SEGMENT: the segments in %1$s by name (without %2$s), and folders; files once the word has a '/'.
                function _heatgrid_segments() {
                  local word=$1 file
                  if [[ "$word" == */* ]]; then
                    compgen -f -- "$word"
                    return
                  fi
                  for file in '%1$s'/"$word"*'%2$s'; do
                    [[ -f "$file" ]] || continue
                    file=${file##*/}
                    echo "${file%%%2$s}"
                  done
                  compgen -d -- "$word"
                }
                """.formatted(directory, SegmentNames.EXTENSION);
    }
}
