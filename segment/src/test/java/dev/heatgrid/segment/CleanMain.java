package dev.heatgrid.segment;

import java.nio.file.Path;

/** Child JVM: {@code heatgrid clean} of one directory through the library; prints each outcome, then DONE. Args: dir. */
public final class CleanMain {
    public static void main(String[] args) throws Exception {
        for (SegmentCleaner.Outcome o : SegmentCleaner.clean(Path.of(args[0]), false, false)) {
            System.out.println(o.action() + " " + o.path().getFileName() + " " + o.detail());
        }
        System.out.println("DONE");
    }
}
