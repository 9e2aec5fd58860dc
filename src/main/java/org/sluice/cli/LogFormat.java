package org.sluice.cli;

import java.net.URL;
import java.util.Locale;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;

/**
 * How the host writes its log on standard error: {@link #TEXT}, a line a person reads (the
 * default, {@code logback.xml}), or {@link #JSON}, one object per line with the message and its
 * fields, for log shippers ({@code logback-json.xml}).
 */
enum LogFormat {
    TEXT("/logback.xml"),
    JSON("/logback-json.xml");

    private final String configuration;

    LogFormat(String configuration) {
        this.configuration = configuration;
    }

    /** The format named {@code text} or {@code json}, in any case. */
    static LogFormat parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The log format is text or json, not " + name, e);
        }
    }

    /**
     * Reads the logging configuration again with this format; lines logged from now on take it.
     *
     * @throws JoranException when the configuration cannot be read
     */
    void apply() throws JoranException {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("The log format can only be chosen with Logback, but SLF4J is bound to "
                    + factory.getClass().getName());
        }
        URL file = LogFormat.class.getResource(configuration);
        if (file == null) {
            throw new IllegalStateException(configuration.substring(1) + " is missing from the class path");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(file);
    }
}
