package dev.heatgrid.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentGoneException;
import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.viewer.AutoRange;
import dev.heatgrid.viewer.BlockGrid;
import dev.heatgrid.viewer.ChecksumState;
import dev.heatgrid.viewer.FrameSampler;
import dev.heatgrid.viewer.GridExtent;
import dev.heatgrid.viewer.RateMeter;
import dev.heatgrid.viewer.SchedulingPriority;
import dev.heatgrid.viewer.SegmentFollower;
import dev.heatgrid.viewer.SolverState;
import dev.heatgrid.viewer.SolverWatch;
import dev.heatgrid.viewer.ValueRange;
import dev.heatgrid.viewer.ViewerStatus;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The server's one reading thread, a reader like the viewer's: it follows the segment through the
 * solver's life, waits on the segment's futex for a new generation, and at most {@code fps} times
 * a second reads the newest frame of each field some browser shows and can take now (it is not
 * {@link Browser#FRAMES_AHEAD} frames ahead of its page), reduced in place from the read-only
 * mapping and checksum-verified ({@link FrameSampler}), encodes it once ({@link FrameEncoder}) and
 * hands the same bytes to every browser showing that field. While every page is still drawing, it
 * reads nothing (a page's acknowledgement wakes it), so pages that draw slowly cost no reads they
 * could not show. With no browser it reads only frame headers, for the statistics history. Its
 * thread runs at the viewer's lowered priority: when the cores are busy it is the server that gives
 * way, never the solver.
 */
final class FrameFeed implements Runnable, AutoCloseable {
    private static final long STATUS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Longest wait: a browser that joined is greeted at most this late. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int COMMANDS_SHOWN = 5;

    private final ServeOptions options;
    private final Audience audience;
    private final ObjectMapper json;
    private final SegmentFollower follower;
    private final FrameSampler sampler = new FrameSampler();
    private final FrameEncoder encoder;
    private final StatsHistory history = new StatsHistory();
    private final RateMeter solverSteps = new RateMeter();
    private final RateMeter framesRead = new RateMeter();
    private final long frameInterval;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Map<String, Object> status = Map.of();

    // Feed-thread state.
    private SegmentLayout layout;
    private final Map<Integer, AutoRange> ranges = new HashMap<>();
    private final Map<String, EncodedFrame> latest = new HashMap<>();
    private double[] values = new double[0];
    private FrameHeader lastHeader;
    private long lastRead;
    private long skipped;
    private long framesReadCount;
    private long nextReadAt = System.nanoTime(); // nanoTime may be negative: never compare with a bare 0
    private long nextStatusAt = System.nanoTime();
    private ChecksumState checksum = ChecksumState.NONE;
    private String warning;
    private final SolverWatch solver = new SolverWatch(COMMANDS_SHOWN);

    FrameFeed(ServeOptions options, Audience audience, ObjectMapper json) {
        this.options = options;
        this.audience = audience;
        this.json = json;
        this.follower = new SegmentFollower(options.segment(), options.view().allowOtherOwner());
        this.encoder = new FrameEncoder(json);
        this.frameInterval = options.view().frameIntervalNanos();
        this.thread = Thread.ofPlatform().daemon().name("heatgrid-serve-feed " + options.segment().getFileName())
                .unstarted(this);
    }

    void start() {
        audience.onReady(() -> LockSupport.unpark(thread));
        thread.start();
    }

    /** The latest status, as the page's "status" message has it (any thread). */
    Map<String, Object> status() {
        return status;
    }

    @Override
    public void run() {
        SchedulingPriority.lowerCurrentThread();
        try {
            while (!stopped) {
                try {
                    step();
                } catch (RuntimeException | Error e) {
                    String surprise = follower.surprise(e); // say it and carry on
                    if (surprise != null) {
                        warning = "server error: " + surprise;
                    }
                    publishStatus(System.nanoTime(), true);
                    pause(MAX_WAIT_NANOS);
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts a sleeping feed: leave quietly
        } finally {
            follower.close();
        }
    }

    private void step() throws InterruptedException {
        long now = System.nanoTime();
        SegmentFollower.Change change = follower.poll();
        if (change == SegmentFollower.Change.ATTACHED) {
            newRun(follower.reader().layout());
        }
        publishStatus(now, change != SegmentFollower.Change.NONE);
        FrameReader reader = follower.reader();
        boolean greet = audience.hasNewcomers();
        if (reader == null) {
            if (greet) {
                audience.newcomers(this::greet);
            }
            pause(MAX_WAIT_NANOS);
            return;
        }
        long newest = reader.generation();
        if (greet) {
            audience.newcomers(this::greet);
        }
        if (newest <= lastRead && !greet) {
            reader.awaitNewer(lastRead, MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
            return;
        }
        if (!greet && now - nextReadAt < 0) {
            pause(Math.min(nextReadAt - now, MAX_WAIT_NANOS)); // newer generations pile up: we take only the newest
            return;
        }
        List<Browser> browsers = audience.browsers();
        TreeSet<Integer> wanted = new TreeSet<>();
        for (Browser b : browsers) {
            if (b.ready()) {
                wanted.add(fieldIndex(b));
            }
        }
        if (!greet && !browsers.isEmpty() && wanted.isEmpty()) {
            // Every page is still drawing what it was sent: a frame read now would only be replaced by a
            // newer one before any page could take it. The first acknowledgement wakes us.
            pause(MAX_WAIT_NANOS);
            return;
        }
        nextReadAt = now + frameInterval;
        read(reader, now, greet, browsers.isEmpty(), wanted);
    }

    /**
     * Reads the newest frame of every field in {@code wanted} (headers only if there is no browser),
     * encodes and delivers it.
     */
    private void read(FrameReader reader, long now, boolean greeted, boolean nobody, TreeSet<Integer> wanted) {
        if (nobody) {
            FrameHeader header;
            try {
                header = reader.latestHeader();
            } catch (SegmentGoneException e) {
                follower.lost(e);
                publishStatus(now, true);
                return;
            } catch (IOException e) {
                return; // a status look only: the field reads, once a page shows one, report what is wrong
            }
            if (header != null) {
                account(header, now);
            }
            return;
        }
        for (int f : wanted) {
            String name = layout.fields().get(f);
            EncodedFrame previous = latest.get(name);
            if (greeted && previous != null && previous.generation() >= reader.generation()) {
                continue; // a newcomer was given this very frame already
            }
            BlockGrid grid = BlockGrid.fitting(layout.nx(), layout.ny(), options.imageSize().width(),
                    options.imageSize().height());
            if (values.length < grid.width() * grid.height()) {
                values = new double[grid.width() * grid.height()];
            }
            FrameHeader header;
            try {
                header = sampler.sample(reader, f, grid, options.reduction(), values);
            } catch (FrameCorruptedException e) {
                checksum = checksum.failed(e.generation(), e.getMessage());
                lastRead = Math.max(lastRead, e.generation()); // that frame stays bad: wait for a newer one
                publishStatus(now, true);
                return;
            } catch (SegmentGoneException e) {
                follower.lost(e);
                publishStatus(now, true);
                return;
            } catch (IOException e) {
                warning = "reading " + follower.path() + " failed: " + e.getMessage();
                publishStatus(now, true);
                return;
            }
            if (header == null) {
                return; // nothing published yet
            }
            checksum = checksum.passed();
            warning = null;
            EncodedFrame frame = encoder.encode(header, layout.fields(), f, grid, options.reduction(), values,
                    range(header, f, grid), System.nanoTime());
            latest.put(name, frame);
            audience.frame(frame, b -> layout.fields().get(fieldIndex(b)));
            framesRead.record(System.nanoTime(), ++framesReadCount);
            account(header, now);
        }
    }

    /**
     * The automatic colour range of field {@code f}: it follows the header's exact extremes, or, when
     * NaN or infinite cells spoil those, the finite block values (as the window's renderer does).
     */
    private ValueRange range(FrameHeader header, int f, BlockGrid grid) {
        double low = header.stats().get(f).min();
        double high = header.stats().get(f).max();
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            double[] bounds = ValueRange.finiteBounds(values, grid.width() * grid.height());
            low = bounds[0];
            high = bounds[1];
        }
        return ranges.computeIfAbsent(f, k -> new AutoRange()).update(low, high);
    }

    /** A frame was read: history, rates, and how many generations went by unread. */
    private void account(FrameHeader header, long now) {
        long generation = header.generation();
        if (generation <= lastRead) {
            return;
        }
        if (lastRead != 0 && generation > lastRead + 1) {
            skipped += generation - lastRead - 1;
        }
        lastRead = generation;
        lastHeader = header;
        history.add(header);
        solverSteps.record(header.publishNanos(), header.step());
        publishStatus(now, false);
    }

    /** The field a browser shows: the one it asked for if the segment has it, else the default. */
    private int fieldIndex(Browser b) {
        List<String> fields = layout.fields();
        int wanted = b.field() == null ? -1 : fields.indexOf(b.field());
        if (wanted >= 0) {
            return wanted;
        }
        int preferred = options.view().field() == null ? -1 : fields.indexOf(options.view().field());
        return Math.max(preferred, 0);
    }

    private void newRun(SegmentLayout newLayout) {
        layout = newLayout;
        ranges.clear();
        latest.clear();
        lastRead = 0;
        lastHeader = null;
        skipped = 0;
        checksum = ChecksumState.NONE;
        warning = null;
        solverSteps.reset();
        history.restart(newLayout.fields());
        audience.event(Json.text(json, runMessage()));
        audience.event(Json.text(json, history.message()));
    }

    /** A browser joined or picked another field: the run, the history, the status and the newest frame. */
    private void greet(Browser b) {
        if (layout == null) {
            b.status(Json.text(json, status));
            return;
        }
        b.event(Json.text(json, runMessage()));
        b.event(Json.text(json, history.message()));
        b.status(Json.text(json, status));
        EncodedFrame frame = latest.get(layout.fields().get(fieldIndex(b)));
        if (frame != null) {
            b.frame(frame);
        }
    }

    /** The page's "run" message: the grid, its fields and where it lies in physical units. */
    private Map<String, Object> runMessage() {
        GridExtent extent = GridExtent.of(layout.spec());
        var message = new LinkedHashMap<String, Object>();
        message.put("type", "run");
        message.put("segment", follower.path().toString());
        message.put("nx", layout.nx());
        message.put("ny", layout.ny());
        message.put("fields", layout.fields());
        message.put("field", layout.fields().get(Math.max(0, options.view().field() == null ? 0
                : layout.fields().indexOf(options.view().field()))));
        message.put("x0", extent.x0());
        message.put("y0", extent.y0());
        message.put("width", extent.width());
        message.put("height", extent.height());
        message.put("kernel", layout.spec().kernel());
        message.put("colormap", options.colorMap().id());
        message.put("steering", options.steering() != null);
        return message;
    }

    private void publishStatus(long now, boolean force) {
        if (!force && now - nextStatusAt < 0) {
            return;
        }
        nextStatusAt = now + STATUS_INTERVAL_NANOS;
        solver.update(follower);
        Map<String, Object> next = statusMessage(now);
        status = next;
        audience.status(Json.text(json, next));
    }

    private Map<String, Object> statusMessage(long now) {
        FrameReader reader = follower.reader();
        FrameHeader h = lastHeader;
        double stepsPerSecond = solver.state() == SolverState.RUNNING ? solverSteps.perSecond() : 0;
        var viewer = new ViewerStatus(follower.path(), follower.problem(), null, h == null ? 0 : h.generation(),
                reader != null ? reader.generation() : lastRead, h == null ? 0 : h.step(), h == null ? 0 : h.time(),
                stepsPerSecond, framesRead.perSecond(now), Double.NaN, skipped, checksum, solver.state(), solver.pid(), solver.commands(),
                warning);
        var message = new LinkedHashMap<String, Object>();
        message.put("type", "status");
        message.put("segment", follower.path().toString());
        message.put("attached", reader != null);
        message.put("newestGeneration", viewer.newestGeneration());
        message.put("generation", viewer.generation());
        message.put("step", h == null ? null : h.step());
        message.put("time", h == null ? null : h.time());
        message.put("writer", Map.of("state", writerState(solver.state()), "pid", solver.pid()));
        message.put("stepsPerSecond", stepsPerSecond);
        message.put("framesPerSecond", viewer.framesShownPerSecond());
        message.put("skipped", skipped);
        message.put("checksum", checksum.toString());
        message.put("checksumFailing", checksum.failing());
        message.put("alert", viewer.alert());
        message.put("commands", viewer.commandsLine());
        message.put("browsers", audience.size());
        return message;
    }

    /** The writer's state in {@code inspect --json}'s words: running, paused, exited, gone, not responding, none. */
    static String writerState(SolverState state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void pause(long nanos) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Stops the feed and waits for it; the segment is unmapped when this returns. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } else {
            follower.close();
        }
    }
}
