/**
 * The heatgrid command (dev.heatgrid.cli.Heatgrid): one picocli class per subcommand. It exports
 * nothing; it does not read the bench module either: {@code heatgrid bench} runs the benchmarks jar
 * as a JVM of its own.
 */
module dev.heatgrid.cli {
    requires dev.heatgrid.solver;
    requires dev.heatgrid.viewer;
    requires dev.heatgrid.tiles;
    requires dev.heatgrid.web;
    requires dev.heatgrid.record;
    requires info.picocli;
    requires java.management;

    // picocli sets the commands' annotated fields and calls their methods reflectively.
    opens dev.heatgrid.cli to info.picocli;
}
