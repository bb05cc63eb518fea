package dev.hermetic.packer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The application's files, prepared ({@link PreparedFile#prepare}) on the pack's threads ahead of the
 * writer, which takes them in name order with {@link #next()}.
 *
 * <p>Files go to the threads in chunks of consecutive names, so that a task is worth queueing and the
 * writer finds the next files ready in order. Each file's result depends only on its bytes, so the
 * archive is the same whatever the chunks or the threads.
 *
 * <p>Costs: all chunks are queued at once; a prepared file is held until the writer takes it, so at
 * worst every file is in memory at once, compressed form included (the packer held every file anyway).
 */
final class PreparedFiles {
    /** A chunk ends once it holds this many declared bytes or {@link #CHUNK_FILES} files. */
    static final long CHUNK_BYTES = 256 * 1024;
    static final int CHUNK_FILES = 256;

    private final Deque<Workers.Task<List<PreparedFile>>> chunks = new ArrayDeque<>();
    private Iterator<PreparedFile> current = Collections.emptyIterator();

    private PreparedFiles() {
    }

    /** Queues every file of the application, in name order. */
    static PreparedFiles start(Application app, ResourceCompressor compressor, Workers workers) {
        PreparedFiles prepared = new PreparedFiles();
        List<InputFile> chunk = new ArrayList<>();
        long bytes = 0;
        for (InputFile file : app.files().values()) {
            chunk.add(file);
            bytes += file.size();
            if (bytes >= CHUNK_BYTES || chunk.size() >= CHUNK_FILES) {
                prepared.queue(chunk, app, compressor, workers);
                chunk = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!chunk.isEmpty()) {
            prepared.queue(chunk, app, compressor, workers);
        }
        return prepared;
    }

    private void queue(List<InputFile> files, Application app, ResourceCompressor compressor, Workers workers) {
        chunks.add(workers.submit(() -> {
            List<PreparedFile> done = new ArrayList<>(files.size());
            for (InputFile file : files) {
                done.add(PreparedFile.prepare(file, app, compressor));
            }
            return done;
        }));
    }

    /**
     * @return the next file in name order, waiting for its chunk (or preparing it on this thread); null
     *         after the last
     * @throws IOException the first failure in name order: reading, or a cache that is not a class file
     */
    PreparedFile next() throws IOException {
        while (!current.hasNext()) {
            Workers.Task<List<PreparedFile>> chunk = chunks.poll();
            if (chunk == null) {
                return null;
            }
            current = chunk.join().iterator();
        }
        return current.next();
    }
}
