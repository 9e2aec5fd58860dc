package org.sluice.runtime;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** What a class logs from now until a test ends: the lines are kept in the returned appender. */
public final class CapturedLog {
    private CapturedLog() {
    }

    /** Starts keeping {@code source}'s lines; the appender is detached by what {@code closing} runs at the test's end. */
    public static ListAppender<ILoggingEvent> of(Class<?> source, List<AutoCloseable> closing) {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        logged.start();
        logger.addAppender(logged);
        closing.add(() -> logger.detachAppender(logged));
        return logged;
    }
}
