package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.VectorFaultMark;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two rules for every method that calls a Vector API {@code fromMemorySegment} or
 * {@code intoMemorySegment}, checked on the compiled classes of the two modules that run vector loops
 * on mappings (segment: checksums; solver: stencil and row statistics):
 * <ul>
 *   <li>It also calls {@link VectorFaultMark#on}. A method without it, once compiled by C2 on its own,
 *       ends the JVM when the file is truncated under it (GuaranteesCliTest shows that whole).</li>
 *   <li>Its class is named in the launcher's compile commands ({@code segment/src/main/jvm/compile-commands.txt}),
 *       which have C2 compile the vector loops within the first step, and the JVM reads that file
 *       without a parse error. A loop left out runs the JDK's scalar fallbacks for its first
 *       40,000 trips.</li>
 * </ul>
 */
class VectorLoopRulesTest {
    private static final String VECTOR_PACKAGE = "jdk/incubator/vector/";
    private static final String MARK = VectorFaultMark.class.getName().replace('.', '/');

    @Test
    void everyMethodWithAVectorAccessToMemoryCarriesTheMark() throws Exception {
        List<Method> methods = vectorMethods();
        // The stencil's two loops, the row statistics' two, the checksum's one: the scan found them.
        assertTrue(methods.size() >= 5, "too few vector methods found, the scan is broken: " + methods);
        List<String> unmarked = methods.stream()
                .filter(m -> m.calls().stream().noneMatch(c -> c.owner().asInternalName().equals(MARK) && c.name().equalsString("on")))
                .map(Method::name).toList();
        assertEquals(List.of(), unmarked, "methods with Vector API memory accesses but no VectorFaultMark.on");
    }

    @Test
    void everyClassWithAVectorLoopIsCompiledEarly() throws Exception {
        String directives = System.getProperty("heatgrid.compiler.directives");
        assumeTrue(directives != null, "run by Maven, which names the launcher's compiler directives (root pom.xml)");
        Path commands = Path.of(directives).resolveSibling("compile-commands.txt");
        List<String> lines = Files.readAllLines(commands);
        Set<String> named = new TreeSet<>();
        for (String line : lines) {
            String[] parts = line.split(",");
            if (parts.length == 3 && parts[0].equals("CompileThresholdScaling") && parts[1].endsWith(".*")) {
                named.add(parts[1].substring(0, parts[1].length() - 2));
            }
        }
        Set<String> classes = new TreeSet<>();
        vectorMethods().forEach(m -> classes.add(m.owner()));
        assertTrue(classes.size() >= 3, "too few classes with vector loops found, the scan is broken: " + classes);
        classes.removeAll(named);
        assertEquals(Set.of(), classes, "classes with Vector API loops not named in " + commands);

        // The JVM reports a line it cannot parse on stdout and starts anyway: start one and read what it says.
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:CompileCommandFile=" + commands, "-version").redirectErrorStream(true).start();
        String said = new String(java.getInputStream().readAllBytes());
        assertEquals(0, java.waitFor());
        assertFalse(said.contains("CompileCommand"), "the JVM did not read " + commands + " cleanly:\n" + said);
    }

    /** A method of a class of segment or solver that calls a Vector API memory access. */
    private record Method(String owner, String name, List<InvokeInstruction> calls) {
    }

    private static List<Method> vectorMethods() throws IOException, URISyntaxException {
        var found = new ArrayList<Method>();
        for (Class<?> ofModule : List.of(SegmentWriter.class, Solver.class)) {
            for (ClassModel model : classes(ofModule)) {
                for (MethodModel method : model.methods()) {
                    List<InvokeInstruction> calls = calls(method);
                    if (calls.stream().anyMatch(c -> c.owner().asInternalName().startsWith(VECTOR_PACKAGE)
                            && (c.name().equalsString("fromMemorySegment") || c.name().equalsString("intoMemorySegment")))) {
                        String owner = model.thisClass().asInternalName();
                        found.add(new Method(owner, owner + "." + method.methodName().stringValue(), calls));
                    }
                }
            }
        }
        return found;
    }

    private static List<InvokeInstruction> calls(MethodModel method) {
        return method.code().map(code -> code.elementStream().filter(InvokeInstruction.class::isInstance)
                .map(InvokeInstruction.class::cast).toList()).orElse(List.of());
    }

    /** Every class in the directory or jar {@code ofModule} was loaded from. */
    private static List<ClassModel> classes(Class<?> ofModule) throws IOException, URISyntaxException {
        Path location = Path.of(ofModule.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            return parse(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return parse(jar.getPath("/"));
        }
    }

    private static List<ClassModel> parse(Path root) throws IOException {
        var models = new ArrayList<ClassModel>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                if (!file.getFileName().toString().equals("module-info.class")) {
                    models.add(ClassFile.of().parse(Files.readAllBytes(file)));
                }
            }
        }
        return models;
    }
}
