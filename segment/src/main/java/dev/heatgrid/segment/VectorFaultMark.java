package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The mark every method that reads or writes a mapping with Vector API loads and stores carries, so
 * that a truncated file ends it with an exception and not with the JVM.
 *
 * <p>Why it is needed: an access to a page the file no longer has raises SIGBUS. HotSpot turns that
 * into an asynchronous {@link InternalError} (which {@link SegmentGoneException} then names) only where
 * it knows the code accesses memory unsafely: the interpreter, C1, and C2 methods into which a scalar
 * {@code Unsafe} access was inlined (C2 marks the whole compiled method). C2's Vector API loads and
 * stores do not mark it (JDK 25, {@code vectorIntrinsics.cpp}), so a method whose only accesses were
 * vectors, compiled on its own, ended the JVM with "A fatal error has been detected" instead: 9 of 20
 * runs of {@code heatgrid run} whose file was truncated at a random moment, 8 of them in the stencil's
 * bulk loop.
 *
 * <p>{@link #on} makes one scalar access, which C2 marks when it parses it, even where it then
 * removes the load as unused. The rule: a method with a Vector API access to memory calls it once,
 * outside its loop, with an offset the method accesses anyway; inlined into a caller, the mark goes
 * with it ({@code VectorLoopRulesTest} reads the class files for it). The JDK's own
 * {@code fromMemorySegment} and {@code intoMemorySegment}, compiled on their own while a caller is not
 * yet compiled by C2, cannot carry it: the compiler directives every heatgrid JVM starts with keep C2
 * from compiling them alone ({@code segment/src/main/jvm/compiler-directives.json}; docs/ARCHITECTURE.md,
 * "Failure model", says what that leaves).
 */
public final class VectorFaultMark {
    private VectorFaultMark() {
    }

    /** One scalar read of byte {@code offset} of {@code memory}: the mark (class comment). */
    public static void on(MemorySegment memory, long offset) {
        memory.get(ValueLayout.JAVA_BYTE, offset);
    }
}
