package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentNames;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code heatgrid generate-completion}: picocli's bash/zsh completion script, with SEGMENT arguments
 * completing from the segments that exist when you press Tab (the names in /dev/shm, without their
 * .hgrid), and from files and folders once the word holds a '/'.
 */
@Command(name = "generate-completion", description = {"Print a bash/zsh completion script for heatgrid.",
        "Use it with: source <(heatgrid generate-completion)",
        "Segment names complete from the segments that exist when you press Tab."})
final class CompletionCommand implements Callable<Integer> {
    /**
     * What picocli writes as the candidate list of a SEGMENT argument: a placeholder this command
     * replaces with a call to a shell function, since picocli's lists are fixed when the script is made.
     */
    static final String PLACEHOLDER = "__heatgrid_segment_names__";

    @Spec
    CommandSpec spec;

    /** The completion candidates of every SEGMENT argument: the placeholder. */
    static final class SegmentCandidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(PLACEHOLDER).iterator();
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(script(spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
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
