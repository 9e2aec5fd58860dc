package org.sluice.runtime.instance;

import java.io.IOException;
import java.util.Optional;

/**
 * A place an instance fetches messages from, such as a folder. A claimed message belongs to the
 * claiming instance alone, even when several instances poll the same place; the instance then
 * reports what became of it. Folders are {@link DirectoryPullSource}; FTP and the like plug in
 * beside it.
 */
public interface PullSource {

    /** Claims the next waiting message, if there is one. */
    Optional<Claimed> claimNext() throws IOException;

    /** One claimed message. Exactly one of {@link #done}, {@link #failed} or {@link #release} ends it. */
    interface Claimed {
        /** A name the operator recognises, such as the file name. */
        String name();

        byte[] content() throws IOException;

        /** Processed: remove it from the source. */
        void done() throws IOException;

        /** Could not be processed: set it aside with the reason, for the operator. */
        void failed(String reason) throws IOException;

        /** Not processed after all: give it back for another try. */
        void release() throws IOException;
    }
}
