package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule {@link VectorFaultMark} states, checked on the compiled classes of the two modules that
 * run vector loops on mappings (segment: checksums; solver: stencil and row statistics): every method
 * that calls a Vector API {@code fromMemorySegment} or {@code intoMemorySegment} also calls
 * {@link VectorFaultMark#on}. A method without it, once compiled by C2 on its own, ends the JVM when the
 * file is truncated under it (GuaranteesCliTest shows that whole).
 */
class VectorFaultMarkRuleTest {
    private static final String VECTOR_PACKAGE = "jdk/incubator/vector/";
    private static final String MARK = VectorFaultMark.class.getName().replace('.', '/');

    @Test
    void everyMethodWithAVectorAccessToMemoryCarriesTheMark() throws Exception {
        var vectorMethods = new ArrayList<String>();
        var unmarked = new ArrayList<String>();
        for (Class<?> ofModule : List.of(SegmentWriter.class, Solver.class)) {
            for (ClassModel model : classes(ofModule)) {
                for (MethodModel method : model.methods()) {
                    List<InvokeInstruction> calls = calls(method);
                    boolean vectorAccess = calls.stream().anyMatch(c -> c.owner().asInternalName().startsWith(VECTOR_PACKAGE)
                            && (c.name().equalsString("fromMemorySegment") || c.name().equalsString("intoMemorySegment")));
                    if (!vectorAccess) {
                        continue;
                    }
                    String name = model.thisClass().asInternalName() + "." + method.methodName().stringValue();
                    vectorMethods.add(name);
                    if (calls.stream().noneMatch(c -> c.owner().asInternalName().equals(MARK) && c.name().equalsString("on"))) {
                        unmarked.add(name);
                    }
                }
            }
        }
        // The stencil's two loops, the row statistics' two, the checksum's one: the scan found them.
        assertTrue(vectorMethods.size() >= 5, "too few vector methods found, the scan is broken: " + vectorMethods);
        assertEquals(List.of(), unmarked, "methods with Vector API memory accesses but no VectorFaultMark.on");
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
