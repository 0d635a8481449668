package dev.heatgrid.solver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The worker pool: every line of every pass done exactly once, plans see the previous pass, failures surface. */
class StepEngineTest {
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2, 3, 5})
    void everyLineOfEveryPassRunsOnceAndThePlanSeesTheWorkersWrites(int threads) throws Exception {
        int passes = 2000;
        int lines = 97;
        int[] data = new int[lines];
        List<String> problems = new ArrayList<>();
        try (StepEngine engine = new StepEngine(threads)) {
            for (int run = 0; run < 3; run++) {
                engine.run(countedPasses(passes, data, problems, pass -> advancing(lines, data, pass, (w, first, end) -> {
                })));
                java.util.Arrays.fill(data, 0);
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + problems.stream().findFirst().orElse(""));
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2, 4})
    void bandsCoverTheLinesContiguously(int threads) throws Exception {
        var seen = new AtomicIntegerArray(10);
        var workers = new AtomicIntegerArray(threads);
        try (StepEngine engine = new StepEngine(threads)) {
            boolean[] once = {false};
            engine.run(() -> {
                if (once[0]) {
                    return null;
                }
                once[0] = true;
                return new Work() {
                    @Override
                    public int lines() {
                        return 10;
                    }

                    @Override
                    public void run(int worker, int first, int end) {
                        workers.incrementAndGet(worker);
                        for (int i = first; i < end; i++) {
                            seen.incrementAndGet(i);
                        }
                    }
                };
            });
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(1, seen.get(i), "line " + i);
        }
        for (int w = 0; w < threads; w++) {
            assertEquals(1, workers.get(w), "worker " + w);
        }
    }

    /** Also when the pass is shared out ({@code grain} > 0): whoever takes the failing lines, the run ends with it. */
    @ParameterizedTest(name = "{0} thread(s), grain {1}")
    @CsvSource({"1, 0", "2, 0", "2, 2", "3, 1"})
    void aFailingPassEndsTheRunAndIsRethrownAndTheEngineStaysUsable(int threads, int grain) throws Exception {
        var boom = new IllegalStateException("kernel bug");
        try (StepEngine engine = new StepEngine(threads)) {
            int[] calls = {0};
            var thrown = assertThrows(IllegalStateException.class, () -> engine.run(() -> {
                calls[0]++;
                if (calls[0] > 5) {
                    throw new AssertionError("the plan was asked again after a failure");
                }
                return new Work() {
                    @Override
                    public int lines() {
                        return 8;
                    }

                    @Override
                    public int grain() {
                        return grain;
                    }

                    @Override
                    public void run(int worker, int first, int end) {
                        if (end == 8) { // the last line: the last worker's band, or whoever took it
                            throw boom;
                        }
                    }
                };
            }));
            assertSame(boom, thrown);
            assertEquals(1, calls[0]);
            int[] again = {0};
            engine.run(() -> again[0]++ < 3 ? new Work() {
                @Override
                public int lines() {
                    return 4;
                }

                @Override
                public void run(int worker, int first, int end) {
                }
            } : null);
            assertEquals(4, again[0]);
        }
    }

    /**
     * Regression: a helper leaving the last trip of a run must not miss the closing trip. And an
     * engine whose helpers never joined (they wait at the gate, not at the barrier) closes too.
     */
    @ParameterizedTest(name = "{0} thread(s), helpers joined: {1}")
    @CsvSource({"2, true", "3, true", "2, false"})
    void closeRightAfterARunNeverHangs(int threads, boolean joined) throws Exception {
        Work nothing = new Work() {
            @Override
            public int lines() {
                return 4;
            }

            @Override
            public void run(int worker, int first, int end) {
            }
        };
        for (int i = 0; i < 300; i++) {
            StepEngine engine = joined ? new StepEngine(threads) : new StepEngine(threads, () -> false);
            boolean[] once = {false};
            engine.run(() -> {
                if (once[0]) {
                    return null;
                }
                once[0] = true;
                return nothing;
            });
            var closer = new Thread(engine::close);
            closer.start();
            closer.join(10_000);
            assertTrue(!closer.isAlive(), "close() hung in round " + i);
        }
    }

    /**
     * An engine that starts alone ({@link StepEngine#StepEngine(int, java.util.function.BooleanSupplier)}):
     * until the rule says the helpers join, the caller runs every worker's band of each pass itself,
     * as the same calls the workers would make (TemporalTiling's trapezoids need exactly those bands);
     * from the next pass on the helpers run theirs; every line of every pass runs once, after the
     * pass before it.
     */
    @ParameterizedTest(name = "{0} threads, helpers join after pass {1}")
    @CsvSource({"2, 0", "2, 7", "3, 40", "2, 1000"})
    void helpersJoinWhenTheRuleSaysAndEveryLineStillRunsOnce(int threads, int joinAfter) throws Exception {
        int passes = 200;
        int lines = 64;
        int[] data = new int[lines];
        List<String> problems = new ArrayList<>();
        // Each pass's calls and threads; the plan adds a pass's sets between passes, which the barrier orders.
        List<Set<List<Integer>>> callsOfPass = new ArrayList<>();
        List<Set<Thread>> threadsOfPass = new ArrayList<>();
        int[] asked = {0};
        Thread caller = Thread.currentThread();
        try (StepEngine engine = new StepEngine(threads, () -> ++asked[0] > joinAfter)) {
            engine.run(countedPasses(passes, data, problems, pass -> {
                Set<List<Integer>> calls = ConcurrentHashMap.newKeySet();
                Set<Thread> ran = ConcurrentHashMap.newKeySet();
                callsOfPass.add(calls);
                threadsOfPass.add(ran);
                return advancing(lines, data, pass, (worker, first, end) -> {
                    calls.add(List.of(worker, first, end));
                    ran.add(Thread.currentThread());
                });
            }));
            assertEquals(joinAfter < passes, engine.joined());
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + problems.stream().findFirst().orElse(""));
        Set<List<Integer>> bands = IntStream.range(0, threads)
                .mapToObj(w -> List.of(w, StepEngine.bandStart(lines, w, threads), StepEngine.bandStart(lines, w + 1, threads)))
                .collect(Collectors.toSet());
        for (int p = 0; p < passes; p++) {
            String which = "pass " + (p + 1);
            assertEquals(bands, callsOfPass.get(p), which);
            if (p <= joinAfter) {
                assertEquals(Set.of(caller), threadsOfPass.get(p), which + " ran alone");
            } else {
                assertEquals(threads, threadsOfPass.get(p).size(), which + " ran on every worker");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, -1, 257})
    void refusesNonsenseThreadCounts(int threads) {
        var e = assertThrows(IllegalArgumentException.class, () -> new StepEngine(threads));
        assertEquals("threads is " + threads + "; allowed 1..256", e.getMessage());
    }

    /** Without --threads a small grid gets one worker (a second would cost more at the barrier than it saves), a large one all. */
    @org.junit.jupiter.api.Test
    void threadsChosenByGridSize() {
        assertEquals(1, StepEngine.threadsFor(64 * 64, 2));
        assertEquals(2, StepEngine.threadsFor(96 * 96, 2)); // measured faster with 2 (docs/BENCHMARKS.md, "Threads by grid size")
        assertEquals(1, StepEngine.threadsFor(1, 64));
        assertEquals(2, StepEngine.threadsFor(512 * 512, 2));
        assertEquals(2, StepEngine.threadsFor(4096L * 4096, 2));
        assertEquals(1, StepEngine.threadsFor(4096L * 4096, 1));
        assertEquals(StepEngine.MAX_THREADS, StepEngine.threadsFor(1L << 40, 100_000));
        long perThread = StepEngine.MIN_CELLS_PER_THREAD;
        assertEquals(3, StepEngine.threadsFor(3 * perThread, 8));
    }

    /**
     * A pass with a grain: every line once, in pieces of at most the grain, the plan seeing every
     * piece's writes; and a worker that is late (it spins in its first piece) has the rest of its
     * band taken by the others, from the band's far end.
     */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3, 5})
    void aSharedPassRunsEveryLineOnceAndTheOthersTakeALateWorkersLines(int threads) throws Exception {
        int passes = 600;
        int lines = 97;
        int[] data = new int[lines];
        List<String> problems = new ArrayList<>();
        var taken = new java.util.concurrent.atomic.AtomicLong(); // lines run by a worker outside its band
        try (StepEngine engine = new StepEngine(threads)) {
            engine.run(countedPasses(passes, data, problems, pass -> {
                int expectBefore = pass - 1;
                int grain = 1 + pass % 7;
                int late = pass % threads;
                return new Work() {
                    @Override
                    public int lines() {
                        return lines;
                    }

                    @Override
                    public int grain() {
                        return grain;
                    }

                    @Override
                    public void run(int worker, int first, int end) {
                        if (end - first < 1 || end - first > grain) {
                            synchronized (problems) {
                                problems.add("pass " + pass + ": a piece of " + (end - first) + " lines, grain " + grain);
                            }
                        }
                        int bandFirst = StepEngine.bandStart(lines, worker, threads);
                        int bandEnd = StepEngine.bandStart(lines, worker + 1, threads);
                        if (worker == late && first == bandFirst) {
                            long until = System.nanoTime() + 300_000; // late: the others finish first
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                        }
                        if (first < bandFirst || end > bandEnd) {
                            taken.addAndGet(end - first);
                        }
                        for (int i = first; i < end; i++) {
                            if (data[i] == expectBefore) {
                                data[i] = expectBefore + 1;
                            } else {
                                synchronized (problems) {
                                    problems.add("pass " + pass + " line " + i + " found " + data[i]);
                                }
                            }
                        }
                    }
                };
            }));
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems, first: " + problems.stream().findFirst().orElse(""));
        assertTrue(taken.get() > passes, "lines taken from a late worker's band in " + passes + " passes: " + taken.get());
    }

    /**
     * A plan of {@code passes} passes, the work of pass p (from 1) from {@code pass}; before each
     * pass after the first it checks that every element of {@code data} holds the previous pass's
     * number (a plain array: only the barrier makes the workers' writes visible).
     */
    /** Who ran which lines of a pass. */
    private interface Call {
        void made(int worker, int first, int end);
    }

    /** Pass {@code pass}: each of its lines advances its datum from pass - 1 to pass (countedPasses checks them), telling {@code call} first. */
    private static Work advancing(int lines, int[] data, int pass, Call call) {
        return new Work() {
            @Override
            public int lines() {
                return lines;
            }

            @Override
            public void run(int worker, int first, int end) {
                call.made(worker, first, end);
                for (int i = first; i < end; i++) {
                    if (data[i] == pass - 1) {
                        data[i] = pass;
                    }
                }
            }
        };
    }

    private static WorkPlan countedPasses(int passes, int[] data, List<String> problems, IntFunction<Work> pass) {
        int[] done = {0};
        return () -> {
            if (done[0] > 0) {
                for (int i = 0; i < data.length; i++) {
                    if (data[i] != done[0]) {
                        problems.add("after pass " + done[0] + " line " + i + " holds " + data[i]);
                    }
                }
            }
            if (done[0] == passes) {
                return null;
            }
            done[0]++;
            return pass.apply(done[0]);
        };
    }
}
